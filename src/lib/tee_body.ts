// A stream body the HTTP client sends as it is read (http_client.ts, `streamed`): the first
// attempt takes each chunk from the source straight to the vendor, and the same chunk goes to a
// spool file on the way, so a later send (a retry, a 307/308 redirect) reads the whole body
// from the file, byte for byte what the first attempt sent. A first attempt that fails before
// the source ended has the rest of the source spooled (not sent) before the next one starts.
//
// Compared with spooling the whole body before sending (spool.ts), the data is read from disk
// only when a second send needs it, and the download and the upload overlap instead of running
// one after the other. Without a copy (`keepCopy: false`, no retry possible) nothing touches the
// disk; a redirect after the data went then fails, saying so.
//
// Backpressure: a chunk is taken from the source only when the request wants more and the
// copy has no more than a batch waiting behind the write in flight (batched_file.ts).
import * as fs from "fs";
import { Readable } from "stream";
import { UserError } from "./errors";
import { BatchedFile } from "./batched_file";
import { openPrivateFile, spoolFileName } from "./spool";
import { spentFileStream } from "./young_garbage";

export interface TeeOptions {
  /** Where the copy for later sends is written. */
  dir: string;
  /** Keeps a copy for later sends; false when the request is sent once only. */
  keepCopy: boolean;
  /** The exact length, when known (sent as Content-Length); a source of another length fails. */
  size?: number;
}

/** The source gave other than the length announced for it (nothing whole was sent). */
export class BodyLengthError extends UserError {
  constructor(readonly announced: number, readonly actual: number, ended: boolean) {
    super(`The data was ${ended ? "" : "at least "}${actual} bytes, not the ${announced} bytes announced for it, ` +
      "so it was not sent whole. Send the schedule again.");
    this.name = "BodyLengthError";
  }
}

export class TeeBody {
  private readonly chunks: AsyncIterator<Buffer>;
  private readonly file: string | undefined;
  private copy: BatchedFile | undefined;
  private opened = false;
  private ended = false;
  private bytes = 0;
  /** The chunk being taken, so that the rest is spooled only after it. */
  private taking: Promise<unknown> = Promise.resolve();
  /** Why the source failed: no send can succeed. */
  failure: Error | undefined;

  constructor(private readonly source: Readable, private readonly options: TeeOptions) {
    this.chunks = source[Symbol.asyncIterator]();
    if (options.keepCopy) {
      this.file = spoolFileName(options.dir);
      this.copy = new BatchedFile(openPrivateFile(this.file));
    }
  }

  /** The length to announce: the known size, the spooled size once whole, else unknown (chunked). */
  get size(): number | undefined {
    return this.opened && this.ended ? this.bytes : this.options.size;
  }

  /** Before every send: after the first, spools what is left of the source, so `open` gives it all. */
  async prepare(): Promise<void> {
    if (!this.opened) { return; }
    await this.taking;
    if (!this.file) {
      throw new UserError("The data was sent once and is not kept for a second send (HTTP_MAX_ATTEMPTS is 1), " +
        "and the server asked for it again.");
    }
    while (!this.ended) { await this.take(); }
    await this.copy?.finish();
    const lost = this.copy?.lost;
    if (lost) {
      throw new UserError(`The copy of the data kept for a second send could not be written (${
        (lost as NodeJS.ErrnoException).code ?? lost.message}). Try again later.`);
    }
  }

  /** The first send's stream reads the source; later ones read the spooled copy (after `prepare`). */
  open(): Readable {
    if (this.opened) { return spentFileStream(this.file!, { highWaterMark: 256 * 1024 }); }
    this.opened = true;
    const tee = this;
    return new Readable({
      read() {
        tee.taking = tee.take().then(
          (chunk) => { if (!this.destroyed) { this.push(chunk); } },
          (err) => { this.destroy(err as Error); },
        );
      },
    });
  }

  /** Stops the source (a download still running) and removes the copy. */
  async dispose(): Promise<void> {
    if (!this.ended && !this.source.destroyed) { this.source.destroy(); }
    this.copy?.close();
    if (this.file) { await fs.promises.rm(this.file, { force: true }); }
  }

  /** The next chunk of the source, written to the copy; null at its end. */
  private async take(): Promise<Buffer | null> {
    if (this.failure) { throw this.failure; }
    if (this.ended) { return null; }
    try {
      if (this.copy?.crowded) { await this.copy.room(); }
      const next = await this.chunks.next();
      const announced = this.options.size;
      if (next.done) {
        if (announced !== undefined && this.bytes !== announced) {
          throw new BodyLengthError(announced, this.bytes, true);
        }
        this.ended = true;
        return null;
      }
      const chunk = next.value;
      this.bytes += chunk.length;
      if (announced !== undefined && this.bytes > announced) {
        throw new BodyLengthError(announced, this.bytes, false);
      }
      this.copy?.add(chunk);
      return chunk;
    } catch (err) {
      this.failure ??= err as Error;
      throw err;
    }
  }
}
