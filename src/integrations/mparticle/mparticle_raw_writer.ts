// An mParticle batch of user data written straight from a row's bytes (src/data/json/raw_rows.ts)
// into a row worker's output: the same bytes as MparticleMapper.map and JSON.stringify give,
// without parsing the row, building the batch or stringifying it. Values go as they are (null and
// "" left out), so a value is copied only when its bytes are what JSON.stringify writes for it;
// any other row (a list or an object, an escaped key, a pivot, no identity) is left to map().
// Event data (one custom event a row) is always mapped.
import type { RawRun } from "../../data/json/raw_run";
import { keysInOrder, putBytes, RawFieldSlots, RawPairs, writeDigits } from "../../data/rows/raw_fields";
import type { RawOutput } from "../../data/rows/row_mapping";

const CLOSE = 0x7d, QUOTE = 0x22;
const ATTRIBUTES = Buffer.from('{"user_attributes":{');
const IDENTITIES = Buffer.from('},"user_identities":{');

/** A field and the key its value goes under. */
type Pairs = Array<[field: string, key: string]>;

export class MparticleRawWriter {
  private readonly fields = new RawFieldSlots();
  /** Null and "" left out, as map() leaves them out. */
  private readonly attributes: RawPairs;
  private readonly identities: RawPairs;
  /** `},"schema_version":2,"environment":"…","source_request_id":"<prefix>` (the row's number and `"}` follow). */
  private readonly tail: Buffer;
  private readonly fixedBytes: number;

  private constructor(attributes: Pairs, identities: Pairs, environment: string, requestIdPrefix: string) {
    this.attributes = new RawPairs(this.fields, attributes, { dropEmpty: true });
    this.identities = new RawPairs(this.fields, identities, { dropEmpty: true });
    this.tail = Buffer.from(`},"schema_version":2,"environment":${JSON.stringify(environment)},` +
      `"source_request_id":${JSON.stringify(requestIdPrefix).slice(0, -1)}`);
    this.fixedBytes = ATTRIBUTES.length + IDENTITIES.length + this.tail.length + 24 +
      this.attributes.fixedBytes + this.identities.fixedBytes;
  }

  /**
   * The writer for a delivery, or undefined when map()'s objects would not print their keys in the
   * fields' order (keysInOrder: a key twice in one object takes the first place, the last value):
   * every row is then mapped as before.
   */
  static for(attributes: Pairs, identities: Pairs, environment: string, requestIdPrefix: string):
    MparticleRawWriter | undefined {
    const inOrder = (pairs: Pairs) => keysInOrder(pairs.map(([field]) => field), pairs.map(([, key]) => key));
    if (!inOrder(attributes) || !inOrder(identities)) { return undefined; }
    return new MparticleRawWriter(attributes, identities, environment, requestIdPrefix);
  }

  /** Writes row `k` of `run` as its batch; false (nothing committed) leaves the row to map(). */
  write(run: RawRun, k: number, rowNumber: number, out: RawOutput): boolean {
    if (!this.fields.read(run, k)) { return false; }
    const dst = out.room(this.fixedBytes + run.rowEnd(k) - run.rowStart(k));
    let at = putBytes(ATTRIBUTES, dst, out.end);
    at = this.attributes.write(run, dst, at, false);
    if (at < 0) { return false; }
    at = putBytes(IDENTITIES, dst, at);
    const before = at;
    at = this.identities.write(run, dst, at, false);
    if (at <= before) { return false; } // no identity (rejected) or a value to leave to map()
    at = putBytes(this.tail, dst, at);
    at = writeDigits(rowNumber, dst, at);
    dst[at++] = QUOTE;
    dst[at++] = CLOSE;
    out.commit(rowNumber, at);
    return true;
  }
}
