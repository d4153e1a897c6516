// Appends chunks to a file in batches: about BATCH_BYTES at a time in one writev, at most one
// write in flight. A stream's 64 KiB chunks written one by one (fs.WriteStream) cost a thread
// pool round trip each, and kept the chunks alive across more of V8's scavenges, so more of
// them reached the old generation and were collected by mark-compacts (bench/RESULTS.md, issue
// 30 notes). Used for the copy a streamed body keeps for retries (tee_body.ts).
import * as fs from "fs";

const BATCH_BYTES = 1024 * 1024;
/** Well under IOV_MAX (1024 on Linux). */
const BATCH_CHUNKS = 256;

export class BatchedFile {
  private queued: Buffer[] = [];
  private queuedBytes = 0;
  private writing: Promise<void> | undefined;
  private closed = false;
  /** The first write error: later writes are dropped, the caller decides what it means. */
  lost: Error | undefined;

  /** `fd`: a file open for writing, closed by `finish` or `close`. */
  constructor(private readonly fd: number) {}

  /** Queues a chunk; a batch starts when enough is queued and no write is in flight. */
  add(chunk: Buffer): void {
    if (this.lost || this.closed) { return; }
    this.queued.push(chunk);
    this.queuedBytes += chunk.length;
    if (!this.writing && this.full()) { this.flush(); }
  }

  /** True when the caller should wait (`room`) before adding more: a batch waits behind a write. */
  get crowded(): boolean {
    return this.writing !== undefined && this.full() && !this.lost;
  }

  /** Resolves when a batch is no longer waiting behind a write. */
  async room(): Promise<void> {
    while (this.crowded) { await this.writing; }
  }

  /** Writes what is queued and closes the file. */
  async finish(): Promise<void> {
    while (this.writing) { await this.writing; }
    if (this.queued.length && !this.lost) {
      this.flush();
      await this.writing;
    }
    this.close();
  }

  /** Closes the file at once; what is queued is dropped. */
  close(): void {
    if (this.closed) { return; }
    this.closed = true;
    this.queued = [];
    const close = () => fs.close(this.fd, () => undefined);
    if (this.writing) { this.writing.then(close, close); } else { close(); }
  }

  private full(): boolean {
    return this.queuedBytes >= BATCH_BYTES || this.queued.length >= BATCH_CHUNKS;
  }

  private flush(): void {
    const batch = this.queued;
    this.queued = [];
    this.queuedBytes = 0;
    this.writing = writeAll(this.fd, batch).then(
      () => undefined,
      (err: Error) => { this.lost = err; },
    ).then(() => {
      this.writing = undefined;
      if (this.full() && !this.closed) { this.flush(); }
    });
  }
}

/** Writes every byte of `chunks` at the file's position (a short write goes on from where it stopped). */
async function writeAll(fd: number, chunks: Buffer[]): Promise<void> {
  let rest = chunks;
  while (rest.length) {
    const written = await new Promise<number>((resolve, reject) =>
      fs.writev(fd, rest, (err, bytes) => (err ? reject(err) : resolve(bytes))));
    rest = after(rest, written);
  }
}

/** The chunks with their first `bytes` bytes taken off. */
function after(chunks: Buffer[], bytes: number): Buffer[] {
  let skip = bytes;
  let i = 0;
  while (i < chunks.length && skip >= chunks[i].length) { skip -= chunks[i].length; i++; }
  const rest = chunks.slice(i);
  if (skip > 0 && rest.length) { rest[0] = rest[0].subarray(skip); }
  return rest;
}
