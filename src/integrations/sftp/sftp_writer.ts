// A Writable onto an open SFTP file handle that keeps many WRITE requests in flight. ssh2's own
// write stream waits for each request's answer before sending the next, which caps throughput at
// one packet per round trip (about 1 MB/s here); OpenSSH's sftp client pipelines the same way.
// It emits "answer" at each answer of the server (progress, for the upload's deadline).
import { Writable } from "stream";
import { SFTPWrapper } from "ssh2";
import { spentBytes } from "../../lib/young_garbage";

export class SftpFileWriter extends Writable {
  private position = 0;
  private inFlight = 0;
  private failure: Error | undefined;
  private waiting: (() => void) | undefined;

  constructor(
    private readonly sftp: SFTPWrapper, private readonly handle: Buffer,
    /** Bytes per WRITE request (OpenSSH accepts up to 255 KiB; 32 KiB is the protocol's floor). */
    private readonly pieceSize = 32 * 1024,
    /** Requests awaiting an answer at once: pieceSize * this is the memory in flight. */
    private readonly maxInFlight = 64,
  ) {
    super({ highWaterMark: 1024 * 1024 });
  }

  get bytesWritten(): number { return this.position; }

  /** Fails the writer from outside (the connection closed under it). */
  fail(err: Error): void {
    if (!this.failure) { this.failure = err; }
    this.wake();
  }

  _write(chunk: Buffer, _encoding: BufferEncoding, callback: (err?: Error | null) => void): void {
    if (this.failure) { return callback(this.failure); }
    // ssh2 copies each piece into a packet and encrypts that into another: the chunk and both
    // copies are garbage once sent, three times its bytes (`npm run bench -- storage --only sftp`,
    // 1 GiB by download_url: 138-151 MB counting the chunk alone, 132-146 MB counting three).
    spentBytes(3 * chunk.length);
    for (let offset = 0; offset < chunk.length; offset += this.pieceSize) {
      const length = Math.min(this.pieceSize, chunk.length - offset);
      this.inFlight++;
      this.sftp.write(this.handle, chunk, offset, length, this.position, (err) => {
        this.inFlight--;
        this.emit("answer");
        if (err && !this.failure) { this.failure = err; }
        this.wake();
      });
      this.position += length;
    }
    this.whenBelow(this.maxInFlight, callback);
  }

  _final(callback: (err?: Error | null) => void): void {
    this.whenBelow(1, callback);
  }

  private whenBelow(limit: number, callback: (err?: Error | null) => void): void {
    const check = () => {
      if (this.failure) { return callback(this.failure); }
      if (this.inFlight < limit) { return callback(); }
      this.waiting = check;
    };
    check();
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.();
  }
}
