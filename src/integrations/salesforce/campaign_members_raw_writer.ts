// A Salesforce campaign member ({"ContactId":"…"} or {"LeadId":"…"}) written straight from a row's
// bytes (src/data/json/raw_rows.ts) into a row worker's output: the same bytes as MemberMapper.map
// and JSON.stringify give, without parsing the row. Only a plain Salesforce id is copied (a string
// of 15 or 18 letters and digits, which trim() leaves as it is); any other row (a contact cell that
// is there but not such an id, which map() may trim, reject or pass over for the lead; no id; an
// escaped key) is left to map().
import { RawKind, RawRun } from "../../data/json/raw_run";
import { copyRange, KIND, putBytes, RawFieldSlots } from "../../data/rows/raw_fields";
import type { RawOutput } from "../../data/rows/row_mapping";

const CONTACT = Buffer.from('{"ContactId":');
const LEAD = Buffer.from('{"LeadId":');
const CLOSE = 0x7d;

/** Whether byte `b` is an ASCII letter or digit. */
function alphanumeric(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);
}

export class MemberRawWriter {
  private readonly fields = new RawFieldSlots();
  private readonly contact: number;
  private readonly lead: number;

  constructor(contactField: string | undefined, leadField: string | undefined) {
    this.contact = this.fields.slotOf(contactField);
    this.lead = this.fields.slotOf(leadField);
  }

  /** Writes row `k` of `run` as its member; false (nothing committed) leaves the row to map(). */
  write(run: RawRun, k: number, rowNumber: number, out: RawOutput): boolean {
    if (!this.fields.read(run, k)) { return false; }
    let c = this.fields.cell(this.contact);
    let head = CONTACT;
    if (!this.plainId(run, c)) {
      // Only a contact cell that is missing or null makes map() read the lead.
      if (c >= 0 && (run.kind(c) & KIND) !== RawKind.NULL) { return false; }
      c = this.fields.cell(this.lead);
      head = LEAD;
      if (!this.plainId(run, c)) { return false; }
    }
    const from = run.valueStart(c), to = run.valueEnd(c);
    const dst = out.room(head.length + to - from + 1);
    let at = putBytes(head, dst, out.end);
    at = copyRange(run.bytes, from, to, dst, at);
    dst[at++] = CLOSE;
    out.commit(rowNumber, at);
    return true;
  }

  /** Whether cell `c` is a string of 15 or 18 letters and digits: a Salesforce id as map() sends it. */
  private plainId(run: RawRun, c: number): boolean {
    if (c < 0 || (run.kind(c) & KIND) !== RawKind.STRING) { return false; }
    const b = run.bytes;
    const from = run.valueStart(c) + 1, to = run.valueEnd(c) - 1;
    if (to - from !== 15 && to - from !== 18) { return false; }
    for (let i = from; i < to; i++) { if (!alphanumeric(b[i])) { return false; } }
    return true;
  }
}
