// A json_detail delivery with the policy's field rules applied (src/hub/policy.ts): its fields
// are read first (Looker sends them before the rows; when not, the rows wait in a spool file),
// so a refusal comes before anything reaches the integration; then the document is written again
// without the dropped fields and with the hashed fields' values replaced by their SHA-256. Every
// integration reads it as it would read Looker's: rows, previews, files, in constant memory.
import * as crypto from "crypto";
import { Readable } from "stream";
import type { Delivery } from "../../hub/delivery";
import type { FieldTreatment, TaggedField } from "../../hub/policy";
import { allFields, tagsOf } from "./detail_fields";
import { JsonDetailFields, JsonDetailItem, JsonDetailRow, jsonDetailChunks } from "./rows";

/** The formats whose fields carry their LookML tags: the only ones a field rule can look into. */
export const TAGGED_FORMATS: readonly string[] = ["json_detail", "json_detail_lite_stream"];

/** Bytes gathered before they are handed on: rows are small, so they go out in batches. */
const BATCH_BYTES = 64 * 1024;

/** SHA-256 (hex) of the value as text, trimmed and in lower case, as ad platforms match hashes; null stays null. */
export function hashedValue(value: unknown): string | null {
  if (value === null || value === undefined) { return null; }
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return crypto.createHash("sha256").update(text.trim().toLowerCase()).digest("hex");
}

function hashedCell(cell: unknown): unknown {
  if (typeof cell !== "object" || cell === null || Array.isArray(cell)) { return { value: hashedValue(cell) }; }
  if ("value" in cell) { return { value: hashedValue((cell as { value: unknown }).value) }; }
  // A pivoted measure: pivot key to cell.
  return Object.fromEntries(Object.entries(cell).map(([key, inner]) => [key, hashedCell(inner)]));
}

function treatedFields(fields: JsonDetailFields, treatment: FieldTreatment): JsonDetailFields {
  const out: JsonDetailFields = {};
  for (const [group, list] of Object.entries(fields)) {
    out[group] = !Array.isArray(list) ? list : list
      .filter((field) => !treatment.drop.has(field?.name))
      // A hashed value is text, whatever the field held: destinations that type columns see a string.
      .map((field) => treatment.hash.has(field?.name) ? { ...field, type: "string", is_numeric: false } : field);
  }
  return out;
}

function treatedRow(row: JsonDetailRow, treatment: FieldTreatment): JsonDetailRow {
  const out: Record<string, unknown> = {};
  for (const [name, cell] of Object.entries(row)) {
    if (treatment.drop.has(name)) { continue; }
    out[name] = treatment.hash.has(name) ? hashedCell(cell) : cell;
  }
  return out as JsonDetailRow;
}

export class PolicedDelivery implements Delivery {
  readonly source;
  readonly mimetype;
  format: string | undefined;
  private items?: AsyncGenerator<Iterable<JsonDetailItem>>;
  private fields: JsonDetailFields = {};
  private rest: JsonDetailItem[] = [];
  private treatment?: FieldTreatment;

  constructor(private readonly inner: Delivery) {
    this.source = inner.source;
    this.mimetype = inner.mimetype;
    this.format = inner.format;
  }

  /** Reads up to the fields and returns them with their tags, for the policy to judge. */
  async readFields(): Promise<TaggedField[]> {
    this.items = jsonDetailChunks(this.inner);
    for (;;) {
      const next = await this.items.next();
      if (next.done) { break; }
      const chunk = [...next.value];
      const at = chunk.findIndex((item) => item.kind === "fields");
      if (at >= 0) {
        this.fields = (chunk[at] as { fields: JsonDetailFields }).fields;
        this.rest = chunk.slice(at + 1);
        break;
      }
    }
    return allFields(this.fields).map((field) => ({ name: field.name, tags: tagsOf(field) }));
  }

  /** What the policy decided; the document is written again with it. */
  apply(treatment: FieldTreatment): void {
    this.treatment = treatment;
  }

  /** Stops reading Looker's data (a refused delivery). */
  async abandon(): Promise<void> {
    await this.items?.return(undefined);
  }

  async firstSignificantByte(): Promise<number | undefined> {
    return "{".charCodeAt(0);
  }

  async stream(): Promise<Readable> {
    return Readable.from(this.document(), { objectMode: false });
  }

  private async *document(): AsyncGenerator<Buffer> {
    const treatment = this.treatment ?? { drop: new Set<string>(), hash: new Set<string>() };
    // ran_at known before the first row goes before the rows, as Looker writes it (row
    // destinations use it as every row's time); known only after them, it goes after them.
    const early = this.rest.find((item) => item.kind === "ran_at") as { ranAt: string } | undefined;
    let out = `{"fields":${JSON.stringify(treatedFields(this.fields, treatment))},` +
      `${early ? `"ran_at":${JSON.stringify(early.ranAt)},` : ""}"data":[`;
    let rows = 0;
    let ranAt: string | undefined;
    const take = (items: Iterable<JsonDetailItem>) => {
      for (const item of items) {
        if (item.kind === "row") {
          out += (rows++ ? "," : "") + JSON.stringify(treatedRow(item.row, treatment));
        } else if (item.kind === "ran_at") {
          ranAt = item.ranAt;
        }
      }
    };
    take(this.rest);
    this.rest = [];
    try {
      for (;;) {
        if (out.length >= BATCH_BYTES) {
          yield Buffer.from(out);
          out = "";
        }
        const next = await this.items!.next();
        if (next.done) { break; }
        take(next.value);
      }
    } finally {
      await this.items!.return(undefined);
    }
    out += "]";
    if (ranAt !== undefined && !early) { out += `,"ran_at":${JSON.stringify(ranAt)}`; }
    yield Buffer.from(`${out}}`);
  }
}
