// The row rules of Salesforce campaign members, as a row worker builds them: each row's contact id
// (the field tagged sfdc_contact_id, else labelled "Contact ID") or, without one, its lead id
// (sfdc_lead_id / "Lead ID") becomes { ContactId } or { LeadId }; a row with neither, or with an
// id that is not a Salesforce id, is rejected before sending.
import { allFields, idValue, missingTagMessage, taggedField } from "../../data/rows/detail_fields";
import type { Mapped, RowMapper, RowMapping } from "../../data/rows/row_mapping";
import type { JsonDetailField, JsonDetailFields, JsonDetailRow } from "../../data/rows/rows";
import { UserError } from "../../lib/errors";
import { MemberRawWriter } from "./campaign_members_raw_writer";

export const MEMBER_TAGS = ["sfdc_contact_id", "sfdc_lead_id"] as const;
export const SALESFORCE_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

export interface Member { ContactId?: string; LeadId?: string; }

/** The tagged field, else the official hub's fallback: a field whose label reads like "Contact ID". */
function column(fields: JsonDetailField[], tag: string, label: RegExp): string | undefined {
  const labelled = (f: JsonDetailField) => label.test(String(f.label ?? "")) || label.test(String(f.label_short ?? ""));
  return taggedField(fields, tag) ?? fields.find(labelled)?.name;
}

export class MemberMapper implements RowMapper<Member> {
  /** On a row worker, the rows lying whole in a chunk are written from their bytes. */
  readonly raw: MemberRawWriter;

  constructor(private readonly contact?: string, private readonly lead?: string) {
    this.raw = new MemberRawWriter(contact, lead);
  }

  map(row: JsonDetailRow): Mapped<Member> {
    const contactId = this.contact ? idValue(row[this.contact]) : undefined;
    const leadId = contactId ? undefined : this.lead ? idValue(row[this.lead]) : undefined;
    const id = contactId ?? leadId;
    if (!id) { return { rejected: "no contact or lead id" }; }
    if (!SALESFORCE_ID.test(id)) { return { rejected: "not a Salesforce id", example: id }; }
    return { record: contactId ? { ContactId: id } : { LeadId: id } };
  }
}

/** Salesforce campaign members' mapping for one delivery (src/data/rows/row_mapping.ts); no arguments. */
export function campaignMembersMapping(): RowMapping<Member> {
  return {
    prepare: (fields: JsonDetailFields) => {
      const all = allFields(fields);
      const contact = column(all, "sfdc_contact_id", /contact id/i);
      const lead = column(all, "sfdc_lead_id", /lead id/i);
      if (!contact && !lead) {
        throw new UserError(missingTagMessage(MEMBER_TAGS, "to say which Salesforce contact or lead each row is"));
      }
      return new MemberMapper(contact, lead);
    },
    rawRows: true,
  };
}

export const CAMPAIGN_MEMBERS_MAPPING_MODULE = __filename;
