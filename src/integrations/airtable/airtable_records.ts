// Rows to Airtable records through the shared pipeline: every visible field is a record field
// named as the official hub names it (the field's short label, else its label, else its name),
// created 10 per request (Airtable's limit) with typecast on. Before the first request the
// table's fields are read once: a column the table lacks, or a computed field, fails the delivery
// before any record is made. Airtable refuses a request as a whole when one value does not fit
// (422): that request's records are then sent one by one, so only the bad rows are rejected.
import { allFields, cellValue } from "../../data/rows/detail_fields";
import { BatchOutcome, Mapped, NumberedRecord, RowDestination, RowMapper } from "../../data/rows/row_pipeline";
import { RowRejection, TallyWording } from "../../data/rows/row_tally";
import { JsonDetailFields, JsonDetailRow } from "../../data/rows/rows";
import { UserError } from "../../lib/errors";
import { AirtableApi, AirtableTable } from "./airtable_api";

export const RECORDS_PER_REQUEST = 10;
/**
 * A text field of this name in the table makes deliveries exactly-once (docs/exactly_once.md): the
 * hub fills it with `looker-<webhook id>-<row>` and upserts on it, so a re-sent delivery updates
 * the records it created instead of creating them again.
 */
export const DELIVERY_FIELD = "looker_row_id";
/** Airtable's field types that hold text a merge can match on. */
const MERGEABLE = new Set(["singleLineText", "email", "url", "phoneNumber", "multilineText"]);
type Fields = Record<string, unknown>;

/** Field types Airtable computes itself: nothing can be written to them. */
const COMPUTED = new Set(["formula", "rollup", "count", "multipleLookupValues", "createdTime", "lastModifiedTime",
  "autoNumber", "button", "createdBy", "lastModifiedBy", "externalSyncSource", "aiText"]);

class RecordMapper implements RowMapper<Fields> {
  constructor(readonly columns: Array<[field: string, name: string]>) {}

  map(row: JsonDetailRow): Mapped<Fields> {
    const fields: Fields = {};
    for (const [field, name] of this.columns) {
      const value = cellValue(row[field]);
      if (value !== null && value !== undefined && value !== "") {
        fields[name] = typeof value === "object" ? JSON.stringify(value) : value;
      }
    }
    return Object.keys(fields).length ? { record: fields } : { rejected: "no values" };
  }
}

/** Airtable's 422 message as a countable reason: `field "Score" cannot accept the provided value`. */
function reasonOf(message: string): string {
  return message.replace(/\.$/, "").replace(/^Field/, "field").slice(0, 80) || "refused by Airtable";
}

export class AirtableRecords implements RowDestination<Fields> {
  readonly wording: TallyWording;
  readonly batchSize = RECORDS_PER_REQUEST;
  /** With 5 requests a second per base, a few in flight keep the pace when Airtable answers slowly. */
  readonly concurrency = 5;
  private names: string[] = [];
  private checked?: Promise<void>;
  private tableName: string;

  /** The delivery field, when the table has one and Looker sent a webhook id: records are upserted on it. */
  private mergeField?: string;

  constructor(private readonly api: AirtableApi, private readonly base: string, private readonly table: string,
              private readonly webhookId?: string) {
    this.tableName = table;
    this.wording = { vendor: "Airtable", noun: "record",
      accepted: (n) => this.mergeField
        ? `Created or updated ${n} in the Airtable table "${this.tableName}" (matched on its ${DELIVERY_FIELD} field)`
        : `Created ${n} in the Airtable table "${this.tableName}"` };
  }

  prepare(fields: JsonDetailFields, hidden: Set<string>): RowMapper<Fields> {
    const columns = allFields(fields).filter((f) => !hidden.has(f.name))
      .map((f): [string, string] => [f.name, String(f.label_short || f.label || f.name)]);
    this.names = columns.map(([, name]) => name);
    return new RecordMapper(columns);
  }

  async send(batch: Array<NumberedRecord<Fields>>): Promise<BatchOutcome> {
    if (!this.checked) { this.checked = this.checkTable(); }
    await this.checked;
    const merge = this.mergeField;
    const records = merge ? batch.map((b) => ({ ...b.record, [merge]: `looker-${this.webhookId}-${b.row}` }))
      : batch.map((b) => b.record);
    const outcome = await this.api.create(this.base, this.table, records, merge ? [merge] : undefined);
    if ("created" in outcome) { return { accepted: batch.length, rejected: [] }; }
    if (batch.length === 1) {
      return { accepted: 0, rejected: [{ row: batch[0].row, reason: reasonOf(outcome.invalid) }] };
    }
    let accepted = 0;
    const rejected: RowRejection[] = [];
    for (const one of batch) {
      const alone = await this.send([one]);
      accepted += alone.accepted;
      rejected.push(...alone.rejected);
    }
    return { accepted, rejected };
  }

  /** The table exists and has a writable field for every column. */
  private async checkTable(): Promise<void> {
    const tables = await this.api.tables(this.base);
    const table: AirtableTable | undefined = tables.find((t) => t.id === this.table || t.name === this.table) ??
      tables.find((t) => t.name.toLowerCase() === this.table.toLowerCase());
    if (!table) {
      throw new UserError(`The Airtable base has no table "${this.table}" (any more). Choose the table again in ` +
        "the form.",
        { table: "Choose a table." });
    }
    this.tableName = table.name;
    const byName = new Map(table.fields.map((f) => [f.name, f]));
    const stamp = byName.get(DELIVERY_FIELD);
    if (this.webhookId && stamp && MERGEABLE.has(stamp.type) && !this.names.includes(DELIVERY_FIELD)) {
      this.mergeField = DELIVERY_FIELD;
    }
    const missing = this.names.filter((n) => !byName.has(n));
    if (missing.length) {
      throw new UserError(`The Airtable table "${table.name}" has no field named ${quoted(missing)}. Add fields with ` +
        "these names to the table, or give the columns the table's field names (their labels in LookML).");
    }
    const computed = this.names.filter((n) => COMPUTED.has(byName.get(n)!.type));
    if (computed.length) {
      throw new UserError(`The Airtable table "${table.name}" computes ${quoted(computed)} itself, so nothing can be ` +
        "written to it. Leave these columns out of the query, or hide them in the visualization.");
    }
  }
}

function quoted(names: string[]): string {
  const list = names.slice(0, 5).map((n) => `"${n}"`).join(", ");
  return names.length > 5 ? `${list} and ${names.length - 5} more` : list;
}
