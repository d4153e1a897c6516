// HubSpot's row rules, as the official hub has them: the record's id is the value of the
// field tagged hubspot_contact_id (hubspot_company_id), every other visible field is a
// property named after the field with "." as "_". Nulls are left out (HubSpot would clear
// the property); a row without an id is rejected before sending.
import { allFields, cellValue, idValue, missingTagMessage, taggedField } from "../../data/rows/detail_fields";
import type { Mapped, RowMapper, RowMapping } from "../../data/rows/row_mapping";
import { JsonDetailFields, JsonDetailRow } from "../../data/rows/rows";
import { UserError } from "../../lib/errors";
import { HubspotRawWriter } from "./hubspot_raw_writer";

export interface HubspotInput {
  id: string;
  properties: Record<string, string>;
}

/** The official key rule: `users.email` is the property `users_email`. */
export const propertyName = (field: string) => field.replace(/\./g, "_");

function propertyValue(value: unknown): string | undefined {
  if (value === null || value === undefined) { return undefined; }
  if (typeof value === "object") { return JSON.stringify(value); }
  return String(value);
}

export class HubspotMapper implements RowMapper<HubspotInput> {
  /** Property name to the field it comes from, for messages about a property HubSpot does not know. */
  readonly fieldOfProperty = new Map<string, string>();
  private readonly idField: string;
  private readonly properties: Array<[field: string, property: string]>;
  /** On a row worker, the rows lying whole in a chunk are written from their bytes. */
  readonly raw?: HubspotRawWriter;

  constructor(fields: JsonDetailFields, hidden: Set<string>, private readonly idTag: string, objectNoun: string) {
    const list = allFields(fields);
    const idField = taggedField(list, idTag);
    if (!idField) {
      throw new UserError(missingTagMessage([idTag], `to say which HubSpot ${objectNoun} each row updates`));
    }
    this.idField = idField;
    this.properties = list.filter((f) => f.name !== idField && !hidden.has(f.name))
      .map((f) => [f.name, propertyName(f.name)]);
    for (const [field, property] of this.properties) { this.fieldOfProperty.set(property, field); }
    this.raw = HubspotRawWriter.for(idField, this.properties);
  }

  map(row: JsonDetailRow): Mapped<HubspotInput> {
    const id = idValue(row[this.idField]);
    if (id === undefined) { return { rejected: `no ${this.idTag.replace(/^hubspot_|_id$/g, "")} id` }; }
    const properties: Record<string, string> = {};
    for (const [field, property] of this.properties) {
      const value = propertyValue(cellValue(row[field]));
      if (value !== undefined) { properties[property] = value; }
    }
    return { record: { id, properties } };
  }
}

export interface HubspotMappingArgs {
  idTag: string;
  objectNoun: string;
}

/** HubSpot's mapping for one delivery, as a row worker builds it (src/data/rows/row_mapping.ts). */
export function hubspotMapping(args: HubspotMappingArgs): RowMapping<HubspotInput> {
  return { prepare: (fields, hidden) => new HubspotMapper(fields, hidden, args.idTag, args.objectNoun), rawRows: true };
}

export const HUBSPOT_MAPPING_MODULE = __filename;
