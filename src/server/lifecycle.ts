// Graceful shutdown. Platforms send SIGTERM on every deploy (Heroku, Kubernetes); the hub
// then stops accepting connections, answers /status 503 so load balancers route elsewhere,
// lets requests in flight finish within the grace period, and only then exits.
import { NextFunction, Request, Response } from "express";
import * as http from "http";

export class Lifecycle {
  private active = 0;
  private idleWaiters: Array<() => void> = [];
  draining = false;

  get inFlight(): number { return this.active; }

  /** Counts requests in flight; once draining, asks clients to close their connections. */
  middleware() {
    return (_req: Request, res: Response, next: NextFunction) => {
      this.active++;
      let counted = true;
      const done = () => {
        if (!counted) { return; }
        counted = false;
        this.active--;
        if (this.active === 0) { this.idleWaiters.splice(0).forEach((w) => w()); }
      };
      res.on("finish", done);
      res.on("close", done);
      if (this.draining) { res.set("Connection", "close"); }
      next();
    };
  }

  /**
   * Stops accepting, waits for requests in flight up to `graceMs`, then closes what is left.
   * Resolves true when every request finished in time.
   */
  async drain(server: http.Server, graceMs: number): Promise<boolean> {
    this.draining = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const idle = this.active === 0 ? Promise.resolve(true)
      : new Promise<boolean>((resolve) => this.idleWaiters.push(() => resolve(true)));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), graceMs); });
    const finished = await Promise.race([idle, timeout]);
    clearTimeout(timer);
    server.closeAllConnections();
    await closed;
    return finished;
  }
}
