// Whether Looker is still waiting for an answer. A request's AbortSignal (request.signal, and
// the ambient one of src/lib/abort_scope.ts) is made only when something asks for it: an
// AbortController and its listeners cost a small request more than its integration did, and
// most small requests never ask.
import { Response } from "express";
import { ClientGoneError, withSignal } from "../lib/abort_scope";

export class ClientWatch {
  private controller: AbortController | undefined;
  private gone: ClientGoneError | undefined;
  private leaving: ((reason: Error) => void) | undefined;

  /** The watch of `res`, made at its first use. */
  static of(res: Response): ClientWatch {
    return (res.locals.clientWatch as ClientWatch | undefined) ?? (res.locals.clientWatch = new ClientWatch(res));
  }

  private constructor(res: Response) {
    res.once("close", () => {
      if (res.writableFinished) { return; }
      this.gone = new ClientGoneError();
      this.controller?.abort(this.gone);
      this.leaving?.(this.gone);
    });
  }

  /** Aborted when the client hangs up before the answer is complete. */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.gone) { this.controller.abort(this.gone); }
    }
    return this.controller.signal;
  }

  /**
   * Runs `work` with the request's signal as the ambient one (the HTTP client stops with it),
   * and settles as soon as the client hangs up: a delivery nobody waits for ends at once, and
   * whatever in it cannot be stopped finishes unobserved.
   */
  untilGone<T>(work: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const running = withSignal(() => this.signal, work);
      if (this.gone) { reject(this.gone); } else { this.leaving = reject; }
      running.then((value) => { this.leaving = undefined; resolve(value); },
        (err) => { this.leaving = undefined; reject(err); });
    });
  }
}
