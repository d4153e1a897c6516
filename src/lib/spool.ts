// Stream bodies spooled to a temporary file, so every attempt of a request sends the same
// bytes without holding them in memory. The spool can hash the bytes on the way (a signature
// header must be computed before the body is sent) and is removed by `dispose()`.
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { Readable, Transform } from "stream";
import { pipeline } from "stream/promises";
import { spentFileStream } from "./young_garbage";

export class SpooledBody {
  constructor(
    readonly file: string,
    readonly size: number,
    /** Hex HMAC-SHA256 of the bytes, when a key was given to `spoolStream`. */
    readonly hmacSha256Hex?: string,
  ) {}

  /** A fresh stream of the bytes; call once per attempt. */
  open(): Readable {
    return spentFileStream(this.file);
  }

  /** Removes the file; safe to call more than once. */
  async dispose(): Promise<void> {
    await fs.promises.rm(this.file, { force: true });
  }
}

export interface SpoolOptions {
  dir: string;
  /** Computes HMAC-SHA256 of the bytes with this key while spooling. */
  hmacKey?: string;
  /** Stops with `SpoolLimitError` (and removes the file) as soon as the data passes this size. */
  maxBytes?: number;
}

/** The data passed `SpoolOptions.maxBytes` while it was spooled. */
export class SpoolLimitError extends Error {
  constructor(readonly limit: number) {
    super(`The data is larger than ${limit} bytes.`);
    this.name = "SpoolLimitError";
  }
}

/** Writes the stream to a private temporary file; the file is removed if anything fails. */
export async function spoolStream(source: Readable, options: SpoolOptions): Promise<SpooledBody> {
  const file = spoolFileName(options.dir);
  const hmac = options.hmacKey !== undefined ? crypto.createHmac("sha256", options.hmacKey) : undefined;
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (options.maxBytes !== undefined && size > options.maxBytes) {
        return done(new SpoolLimitError(options.maxBytes));
      }
      hmac?.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(source, meter, privateWriteStream(file));
  } catch (err) {
    await fs.promises.rm(file, { force: true });
    throw err;
  }
  return new SpooledBody(file, size, hmac?.digest("hex"));
}

/** What `spoolUpTo` read: the whole size, and the file when the data fitted. */
export interface BoundedSpool {
  size: number;
  /** The bytes, when `size` is at most `keepBytes`; undefined (nothing kept) when larger. */
  body?: SpooledBody;
}

/**
 * Spools the stream while it fits in `keepBytes`; past that the file is removed and the rest is
 * only counted, so a caller can refuse data that is too big and still say how big it was.
 */
export async function spoolUpTo(source: Readable, options: { dir: string; keepBytes: number }): Promise<BoundedSpool> {
  const file = spoolFileName(options.dir);
  let out: fs.WriteStream | undefined = privateWriteStream(file);
  let writeError: Error | undefined;
  out.on("error", (err) => { writeError = err; });
  let size = 0;
  try {
    for await (const chunk of source) {
      const buf = chunk as Buffer;
      size += buf.length;
      if (writeError) { throw writeError; }
      if (out && size > options.keepBytes) {
        await closeWriter(out);
        out = undefined;
        await fs.promises.rm(file, { force: true });
      }
      if (out && !out.write(buf)) { await waitForDrain(out); }
    }
    if (!out) { return { size }; }
    await closeWriter(out);
    if (writeError) { throw writeError; }
  } catch (err) {
    out?.destroy();
    source.destroy();
    await fs.promises.rm(file, { force: true });
    throw err;
  }
  return { size, body: new SpooledBody(file, size) };
}

/** A new, unguessable spool file name in `dir`. */
export function spoolFileName(dir: string): string {
  return path.join(dir, `lis-spool-${process.pid}-${crypto.randomBytes(12).toString("hex")}`);
}

/**
 * A new private file (mode 600, refused if the name exists), opened at once for writing: a stream
 * that opens its file later could create it after a failure's clean-up had already run, leaving
 * it behind. Answers its descriptor.
 */
export function openPrivateFile(file: string): number {
  return fs.openSync(file, "wx", 0o600);
}

function privateWriteStream(file: string): fs.WriteStream {
  return fs.createWriteStream("", { fd: openPrivateFile(file), autoClose: true });
}

function waitForDrain(out: fs.WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => { out.off("drain", onDrain); reject(err); };
    const onDrain = () => { out.off("error", onError); resolve(); };
    out.once("drain", onDrain);
    out.once("error", onError);
  });
}

function closeWriter(out: fs.WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    out.once("error", reject);
    out.end(() => resolve());
  });
}
