// What happened to a delivery's rows, in a marketer's numbers: how many the vendor accepted,
// how many it (or the hub, before sending) rejected and why, with the first example of each
// reason, and whether that is good enough to call the delivery a success.
import { UserError } from "../../lib/errors";
import { groupDigits } from "../../lib/digits";

/** A row the vendor (or the mapping) would not take. `example` is the offending value, if known. */
export interface RowRejection {
  /** 1-based number of the row in the delivery. */
  row: number;
  /** Short and countable: "unknown id", "invalid email", "no contact id". */
  reason: string;
  example?: string;
}

/** How a destination names what it did, for the answer. */
export interface TallyWording {
  /** "HubSpot" */
  vendor: string;
  /** Singular noun of a record: "contact", "lead". */
  noun: string;
  /** Its plural when not noun + "s": "companies". */
  plural?: string;
  /** What was done to accepted records, e.g. `(n) => "Updated " + n + " in HubSpot"`. */
  accepted: (countText: string) => string;
  /** The word for rows not taken, "rejected" unless said ("skipped": the ad audiences drop unusable rows). */
  rejectedWord?: string;
}

export const formatCount = (n: number) => groupDigits(n);
export const countOf = (n: number, noun: string, plural = `${noun}s`) => `${formatCount(n)} ${n === 1 ? noun : plural}`;

const MAX_EXAMPLE = 40;

function shortExample(text: string): string {
  const clean = text.replace(/[\u0000-\u001f\u007f]+/g, " ");
  return clean.length > MAX_EXAMPLE ? `${clean.slice(0, MAX_EXAMPLE - 1)}…` : clean;
}

export class RowTally {
  rows = 0;
  accepted = 0;
  rejected = 0;
  private readonly reasons = new Map<string, { count: number; first: RowRejection }>();

  reject(rejection: RowRejection): void {
    this.rejected++;
    const entry = this.reasons.get(rejection.reason);
    if (entry) {
      entry.count++;
      if (rejection.row < entry.first.row) { entry.first = rejection; }
    } else {
      this.reasons.set(rejection.reason, { count: 1, first: rejection });
    }
  }

  /** `1,588 rejected: 1,200 unknown id (first: row 3, "9999"), 388 invalid email (first: row 17, "bob@")` */
  rejections(withExamples = true, word = "rejected"): string {
    const byCount = [...this.reasons.entries()]
      .sort((a, b) => b[1].count - a[1].count || a[1].first.row - b[1].first.row);
    const parts = byCount.map(([reason, entry]) => {
      const example = withExamples && entry.first.example !== undefined
        ? `, "${shortExample(entry.first.example)}"` : "";
      return `${formatCount(entry.count)} ${reason} (first: row ${formatCount(entry.first.row)}${example})`;
    });
    return `${formatCount(this.rejected)} ${word}: ${parts.join(", ")}`;
  }

  /**
   * What was done so far. Failure messages are logged (src/server/delivery_failure.ts), so they
   * name rows by number only (`withExamples` false): row data never reaches the logs.
   */
  progress(wording: TallyWording, withExamples = true): string {
    const done = wording.accepted(countOf(this.accepted, wording.noun, wording.plural));
    return `${done}${this.rejected ? `; ${this.rejections(withExamples, wording.rejectedWord)}` : ""}`;
  }

  /**
   * The delivery's answer: a summary, or a UserError when nothing was accepted or more than
   * `maxRejectedPercent` of the rows were rejected.
   */
  outcome(wording: TallyWording, maxRejectedPercent: number): string {
    const summary = `${this.progress(wording)}.`;
    const failed = `${this.progress(wording, false)}.`;
    if (this.rows === 0) {
      throw new UserError(`The query returned no rows, so nothing was sent to ${wording.vendor}.`);
    }
    if (this.accepted === 0) {
      throw new UserError(`${wording.vendor} accepted none of the ${countOf(this.rows, "row")}: ${failed}`);
    }
    const share = (this.rejected / this.rows) * 100;
    if (share > maxRejectedPercent) {
      throw new UserError(`${share.toFixed(1)}% of the rows were ${wording.rejectedWord ?? "rejected"}, ` +
        `more than the ${maxRejectedPercent}% ` +
        `allowed: ${failed} Fix the rejected rows in the query (or raise the threshold in the action's settings).`);
    }
    return summary;
  }
}
