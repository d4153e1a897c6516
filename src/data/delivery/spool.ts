// A temporary file for data that arrives before it can be used (the attachment before the
// params, json_detail rows before their fields). The file is unlinked as soon as it is
// open for writing and reading, so it never outlives its two descriptors: not after a
// success, a failure, or a crash of the process.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Readable, Writable } from "stream";
import { v4 as uuidv4 } from "uuid";
import { openPrivateFile } from "../../lib/spool";
import { spentFileStream } from "../../lib/young_garbage";

let spoolDirectory = os.tmpdir();

/** Where spool files go; set once at start from the configuration. */
export function setSpoolDirectory(dir: string): void {
  spoolDirectory = dir;
}

export class Spool {
  private readonly writer: Writable;
  private readFd: number | undefined;
  private filePath: string | undefined;
  private bytesWritten = 0;

  private constructor(dir: string) {
    const file = path.join(dir, `lis-spool-${uuidv4()}`);
    const writeFd = openPrivateFile(file);
    this.filePath = file;
    try {
      this.readFd = fs.openSync(file, "r");
      this.unlink();
    } catch (err) {
      fs.closeSync(writeFd);
      this.dispose();
      throw err;
    }
    this.writer = fs.createWriteStream("", { fd: writeFd, autoClose: true });
    this.writer.on("error", () => undefined);
  }

  /** Opens a new spool file in the spool directory (or `dir`). */
  static create(dir = spoolDirectory): Spool {
    return new Spool(dir);
  }

  get size(): number { return this.bytesWritten; }

  /** Writes a chunk; false means wait for `drained()` before writing more. */
  write(chunk: Buffer): boolean {
    this.bytesWritten += chunk.length;
    return this.writer.write(chunk);
  }

  drained(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (!this.writer.writableNeedDrain) { return resolve(); }
      const onError = (err: Error) => { this.writer.off("drain", onDrain); reject(err); };
      const onDrain = () => { this.writer.off("error", onError); resolve(); };
      this.writer.once("drain", onDrain);
      this.writer.once("error", onError);
    });
  }

  /** Flushes and closes the writing side. */
  finish(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.writer.once("error", reject);
      this.writer.end(() => resolve());
    });
  }

  /** The spooled bytes from the start; the read descriptor closes with the stream. Call once. */
  reader(): Readable {
    if (this.readFd === undefined) { throw new Error("The spool was already read or disposed."); }
    const fd = this.readFd;
    this.readFd = undefined;
    return spentFileStream("", { fd, start: 0, autoClose: true, highWaterMark: 256 * 1024 });
  }

  /** Frees everything not yet handed out; safe to call more than once. */
  dispose(): void {
    if (!this.writer?.destroyed) { this.writer?.destroy(); }
    if (this.readFd !== undefined) {
      try { fs.closeSync(this.readFd); } catch { /* already closed */ }
      this.readFd = undefined;
    }
    this.unlink();
  }

  private unlink(): void {
    if (!this.filePath) { return; }
    try {
      fs.unlinkSync(this.filePath);
      this.filePath = undefined;
    } catch {
      // Platforms that cannot unlink an open file keep it until dispose() tries again.
    }
  }
}
