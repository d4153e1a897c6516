// Slack's upload flow needs the file's length before the bytes, and a delivery's length is
// not known in advance: the bytes go to a temporary file (constant memory, backpressure kept),
// counted on the way, and the file is removed when the upload is done or fails.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Readable, Transform } from "stream";
import { pipeline } from "stream/promises";

export interface SpooledFile {
  path: string;
  bytes: number;
  remove(): Promise<void>;
}

/** Thrown while spooling as soon as the data passes `maxBytes`. */
export class SpoolLimitError extends Error {
  constructor(readonly limit: number, readonly bytesSoFar: number) {
    super(`More than ${limit} bytes.`);
    this.name = "SpoolLimitError";
  }
}

/** Writes a stream to a new temporary file, stopping with `SpoolLimitError` past `maxBytes`. */
export async function spoolToTempFile(source: Readable, maxBytes: number, dir = os.tmpdir()): Promise<SpooledFile> {
  const folder = await fs.promises.mkdtemp(path.join(dir, "lis-spool-"));
  const file = path.join(folder, "data");
  const remove = () => fs.promises.rm(folder, { recursive: true, force: true });
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes > maxBytes) { return done(new SpoolLimitError(maxBytes, bytes)); }
      done(null, chunk);
    },
  });
  try {
    // The file is readable by this user only: it holds report data.
    await pipeline(source, counter, fs.createWriteStream(file, { mode: 0o600 }));
  } catch (err) {
    await remove();
    throw err;
  }
  return { path: file, bytes, remove };
}
