// An mParticle batch of user data written straight from a row's bytes (src/data/json/raw_rows.ts)
// into a row worker's output: the same bytes as MparticleMapper.map and JSON.stringify give,
// without parsing the row, building the batch or stringifying it. Values go as they are (null and
// "" left out), so a value is copied only when its bytes are what JSON.stringify writes for it;
// any other row (a list or an object, an escaped key, a pivot, no identity) is left to map().
// Event data (one custom event a row) is always mapped.
import { RawKind, RawRun } from "../../data/json/raw_run";
import { copyRange, KIND, putBytes, RawFieldSlots, writeDigits } from "../../data/rows/raw_fields";
import type { RawOutput } from "../../data/rows/row_mapping";

const COMMA = 0x2c, CLOSE = 0x7d, QUOTE = 0x22;
const ATTRIBUTES = Buffer.from('{"user_attributes":{');
const IDENTITIES = Buffer.from('},"user_identities":{');

/** A field and the key its value goes under. */
type Pairs = Array<[field: string, key: string]>;

/** The slots of a group's fields and their keys as written (`"looker_users.city":`). */
interface Group { slots: number[]; keys: Buffer[] }

export class MparticleRawWriter {
  private readonly fields = new RawFieldSlots();
  private readonly attributes: Group;
  private readonly identities: Group;
  /** `},"schema_version":2,"environment":"…","source_request_id":"<prefix>` (the row's number and `"}` follow). */
  private readonly tail: Buffer;
  private readonly fixedBytes: number;

  private constructor(attributes: Pairs, identities: Pairs, environment: string, requestIdPrefix: string) {
    this.attributes = this.group(attributes);
    this.identities = this.group(identities);
    this.tail = Buffer.from(`},"schema_version":2,"environment":${JSON.stringify(environment)},` +
      `"source_request_id":${JSON.stringify(requestIdPrefix).slice(0, -1)}`);
    const keys = [...this.attributes.keys, ...this.identities.keys];
    this.fixedBytes = ATTRIBUTES.length + IDENTITIES.length + this.tail.length + 24 +
      keys.reduce((n, key) => n + key.length + 1, 0);
  }

  /**
   * The writer for a delivery, or undefined when map()'s objects would not print their keys in the
   * fields' order (a key twice in one object: the first place, the last value): every row is then
   * mapped as before. Attribute keys start "looker_" and identity keys are mParticle's names, so no
   * key is one JavaScript orders first.
   */
  static for(attributes: Pairs, identities: Pairs, environment: string, requestIdPrefix: string):
    MparticleRawWriter | undefined {
    const unique = (pairs: Pairs) => new Set(pairs.map(([, key]) => key)).size === pairs.length;
    if (!unique(attributes) || !unique(identities)) { return undefined; }
    return new MparticleRawWriter(attributes, identities, environment, requestIdPrefix);
  }

  /** Writes row `k` of `run` as its batch; false (nothing committed) leaves the row to map(). */
  write(run: RawRun, k: number, rowNumber: number, out: RawOutput): boolean {
    if (!this.fields.read(run, k)) { return false; }
    const dst = out.room(this.fixedBytes + run.rowEnd(k) - run.rowStart(k));
    let at = putBytes(ATTRIBUTES, dst, out.end);
    at = this.values(run, this.attributes, dst, at);
    if (at < 0) { return false; }
    at = putBytes(IDENTITIES, dst, at);
    const before = at;
    at = this.values(run, this.identities, dst, at);
    if (at <= before) { return false; } // no identity (rejected) or a value to leave to map()
    at = putBytes(this.tail, dst, at);
    at = writeDigits(rowNumber, dst, at);
    dst[at++] = QUOTE;
    dst[at++] = CLOSE;
    out.commit(rowNumber, at);
    return true;
  }

  private group(pairs: Pairs): Group {
    return {
      slots: pairs.map(([field]) => this.fields.slotOf(field)),
      keys: pairs.map(([, key]) => Buffer.from(`${JSON.stringify(key)}:`)),
    };
  }

  /** The group's present values as `"key":value,…` at `at`; the end, or -1 for a value it cannot copy. */
  private values(run: RawRun, group: Group, dst: Buffer, at: number): number {
    const b = run.bytes;
    let written = 0;
    for (let p = 0; p < group.slots.length; p++) {
      const c = this.fields.cell(group.slots[p]);
      if (c < 0) { continue; }
      const kind = run.kind(c) & KIND;
      if (kind === RawKind.NULL || (kind === RawKind.STRING && run.valueEnd(c) - run.valueStart(c) === 2)) { continue; }
      if (kind === RawKind.OTHER) { return -1; }
      if (written++ > 0) { dst[at++] = COMMA; }
      at = putBytes(group.keys[p], dst, at);
      at = copyRange(b, run.valueStart(c), run.valueEnd(c), dst, at);
    }
    return at;
  }
}
