// Which columns of a query hold the people's identifiers, and each row's identifiers as the ad
// platform receives them. Columns are matched by LookML tag first (`tags: ["email"]`), then by
// the field's name or label ("users.email_address", "Phone"); hidden fields are left out. A query
// with no such column fails before any vendor call, naming the tags to add.
import { allFields, idValue, quoteTags, tagsOf } from "../../data/rows/detail_fields";
import { JsonDetailField, JsonDetailFields, JsonDetailRow } from "../../data/rows/rows";
import { UserError } from "../../lib/errors";
import { identifier } from "./hashing";
import { isUsable, Normalized } from "./normalize";

export interface IdentifierRule<K extends string> {
  key: K;
  /** The LookML tag that marks the column. */
  tag: string;
  /** Matched against the field's name and labels as lower-case words ("users email address"). */
  names: RegExp;
  normalize(raw: string): Normalized;
  /** Sent as normalised, never hashed (mobile advertiser ids, external ids, Google's zip and country). */
  plain?: boolean;
}

export interface IdentifierColumn<K extends string> {
  rule: IdentifierRule<K>;
  field: string;
}

/** A row's usable identifiers by key, or why the row cannot be sent. */
export type RowIdentifiers<K extends string> = { values: Map<K, string> } | { rejected: string };

function words(text: string | undefined): string {
  return (text ?? "").toLowerCase().replace(/[^a-z0-9]+/g, " ").trim();
}

function nameWords(field: JsonDetailField): string[] {
  const short = field.name.includes(".") ? field.name.slice(field.name.lastIndexOf(".") + 1) : field.name;
  return [words(short), words(field.label_short), words(field.label)].filter(Boolean);
}

/** The columns for `rules`: by tag, then by name among the fields no rule took. */
export function matchColumns<K extends string>(fields: JsonDetailFields, hidden: Set<string>,
                                               rules: ReadonlyArray<IdentifierRule<K>>): Array<IdentifierColumn<K>> {
  const visible = allFields(fields).filter((f) => !hidden.has(f.name));
  const taken = new Set<string>();
  const chosen = new Map<K, IdentifierColumn<K>>();
  for (const rule of rules) {
    const field = visible.find((f) => !taken.has(f.name) && tagsOf(f).some((t) => t.toLowerCase() === rule.tag));
    if (field) { taken.add(field.name); chosen.set(rule.key, { rule, field: field.name }); }
  }
  for (const rule of rules) {
    if (chosen.has(rule.key)) { continue; }
    const field = visible.find((f) => !taken.has(f.name) && nameWords(f).some((w) => rule.names.test(w)));
    if (field) { taken.add(field.name); chosen.set(rule.key, { rule, field: field.name }); }
  }
  return rules.filter((r) => chosen.has(r.key)).map((r) => chosen.get(r.key)!);
}

/** The failure of a query none of whose columns holds an identifier. */
export function noIdentifierColumn(vendor: string, rules: ReadonlyArray<{ tag: string }>): UserError {
  const tags = rules.map((r) => r.tag);
  return new UserError(`None of the query's visible fields holds an identifier ${vendor} can match people by, ` +
    `so nothing was sent. Tag the field with one of ${quoteTags(tags)} in LookML (for example ` +
    `tags: ["${tags[0]}"]), or name it like one (e.g. "Email"), and include it in the query.`);
}

export class IdentifierReader<K extends string> {
  readonly columns: Array<IdentifierColumn<K>>;

  /** `hash` false: the user hashed the columns, so only SHA-256 digests are taken (plain rules excepted). */
  constructor(fields: JsonDetailFields, hidden: Set<string>, rules: ReadonlyArray<IdentifierRule<K>>,
              vendor: string, private readonly hash: boolean) {
    this.columns = matchColumns(fields, hidden, rules);
    if (this.columns.length === 0) { throw noIdentifierColumn(vendor, rules); }
  }

  keys(): K[] { return this.columns.map((c) => c.rule.key); }

  read(row: JsonDetailRow): RowIdentifiers<K> {
    const values = new Map<K, string>();
    let invalid: string | undefined;
    for (const { rule, field } of this.columns) {
      const raw = idValue(row[field]);
      if (raw === undefined) { continue; }
      const value = rule.plain ? rule.normalize(raw) : identifier(raw, rule.normalize, this.hash);
      if (isUsable(value)) { values.set(rule.key, value); } else { invalid = invalid ?? value.invalid; }
    }
    if (values.size === 0) { return { rejected: invalid ?? "no identifier" }; }
    return { values };
  }
}

/** How an audience delivery names its numbers: people sent, rows skipped. */
export function audienceWording(vendor: string, sentTo: string) {
  return { vendor, noun: "person", plural: "people", rejectedWord: "skipped",
    accepted: (n: string) => `Sent ${n} to ${sentTo}` };
}
