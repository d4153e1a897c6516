// The request bodies a vendor stand-in keeps, to check after the clock stops. In production the
// vendor checks what it gets on its own machines; here a stand-in that parsed every body as it
// came spent its CPU on the hub's two cores inside the measured window (2.6-2.8 CPU s a million
// rows for HubSpot's and mParticle's, 1.0 for Segment's, against the hub's 3-7), and on a busy
// machine the hub waited on it. So a stand-in answers with only what its answer needs, keeps the
// body's bytes here, and checks every kept body when asked for its tally (bench/segment_api.ts,
// bench/crm_api.ts). Node's own modules only: the stand-ins run as plain JavaScript
// (plain_stand_in.ts).
import type * as http from "http";

/** Kept bodies are copied into slabs of this size (larger bodies get one of their own). */
const SLAB_BYTES = 32 * 1024 * 1024;
/** A request's bytes are gathered in a buffer of at least this size before they are kept. */
const GATHER_BYTES = 1024 * 1024;

export interface KeptBody<Tag> {
  tag: Tag;
  body: Buffer;
}

export class KeptBodies<Tag> {
  /** Every body kept since the last clear(), in the order each ended. */
  readonly bodies: Array<KeptBody<Tag>> = [];
  /** Touched memory, kept across clear(): a run's bodies fault in no fresh pages but the first run's. */
  private readonly slabs: Buffer[] = [];
  private slab = 0;
  private at = 0;
  /** Gathering buffers not in use (the hub sends a few requests at once, their chunks interleaved). */
  private readonly spare: Buffer[] = [];

  /** Makes sure `bytes` of slabs exist with their pages touched, so that keeping costs a copy only. */
  reserve(bytes: number): void {
    let have = this.slabs.reduce((n, s) => n + s.length, 0);
    while (have < bytes) {
      this.slabs.push(Buffer.allocUnsafeSlow(SLAB_BYTES).fill(0));
      have += SLAB_BYTES;
    }
  }

  /** Reads `req`'s body and keeps it with `tag`; `done` gets the kept bytes once the body has ended. */
  take(req: http.IncomingMessage, tag: Tag, done: (body: Buffer) => void): void {
    let gather = this.spare.pop() ?? Buffer.allocUnsafeSlow(GATHER_BYTES);
    let length = 0;
    req.on("data", (chunk: Buffer) => {
      if (length + chunk.length > gather.length) {
        const bigger = Buffer.allocUnsafeSlow(2 * (length + chunk.length));
        gather.copy(bigger, 0, 0, length);
        gather = bigger;
      }
      length += chunk.copy(gather, length);
    });
    req.on("end", () => {
      const body = this.keep(gather, length);
      this.spare.push(gather);
      this.bodies.push({ tag, body });
      done(body);
    });
  }

  /** Forgets the bodies; their memory is used again. */
  clear(): void {
    this.bodies.length = 0;
    this.slab = 0;
    this.at = 0;
  }

  private keep(from: Buffer, length: number): Buffer {
    while (this.slab < this.slabs.length && this.at + length > this.slabs[this.slab].length) {
      this.slab++;
      this.at = 0;
    }
    if (this.slab === this.slabs.length) {
      this.slabs.push(Buffer.allocUnsafeSlow(Math.max(SLAB_BYTES, length)));
    }
    const slab = this.slabs[this.slab];
    from.copy(slab, this.at, 0, length);
    this.at += length;
    return slab.subarray(this.at - length, this.at);
  }
}
