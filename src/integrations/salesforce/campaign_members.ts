// Rows to Salesforce campaign members through the shared pipeline: each row's contact id (the
// field tagged sfdc_contact_id, else labelled "Contact ID") or lead id (sfdc_lead_id / "Lead ID")
// becomes a CampaignMember, created with the Composite API in chunks (allOrNone false, so
// Salesforce answers member by member). The campaign is created or looked up with the first
// chunk, after the fields were checked: a missing tag fails before any call. A member that is
// already in the campaign (DUPLICATE_VALUE) is where it should be: counted apart, not rejected,
// which also makes a resent chunk harmless.
import { allFields, idValue, missingTagMessage, taggedField } from "../../data/rows/detail_fields";
import { BatchOutcome, Mapped, NumberedRecord, RowDestination, RowMapper } from "../../data/rows/row_pipeline";
import { formatCount, RowRejection, TallyWording } from "../../data/rows/row_tally";
import { JsonDetailField, JsonDetailFields, JsonDetailRow } from "../../data/rows/rows";
import { UserError } from "../../lib/errors";
import { Campaign, SalesforceApi, SalesforceError } from "./salesforce_api";

export const MEMBER_TAGS = ["sfdc_contact_id", "sfdc_lead_id"] as const;
const SALESFORCE_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

export interface Member { ContactId?: string; LeadId?: string; }

/** How the delivery finds its campaign: a name to create, or the id of an existing one. */
export type CampaignTarget = { create: string } | { append: string };

/** The tagged field, else the official hub's fallback: a field whose label reads like "Contact ID". */
function column(fields: JsonDetailField[], tag: string, label: RegExp): string | undefined {
  const labelled = (f: JsonDetailField) => label.test(String(f.label ?? "")) || label.test(String(f.label_short ?? ""));
  return taggedField(fields, tag) ?? fields.find(labelled)?.name;
}

class MemberMapper implements RowMapper<Member> {
  constructor(private readonly contact?: string, private readonly lead?: string) {}

  map(row: JsonDetailRow): Mapped<Member> {
    const contactId = this.contact ? idValue(row[this.contact]) : undefined;
    const leadId = contactId ? undefined : this.lead ? idValue(row[this.lead]) : undefined;
    const id = contactId ?? leadId;
    if (!id) { return { rejected: "no contact or lead id" }; }
    if (!SALESFORCE_ID.test(id)) { return { rejected: "not a Salesforce id", example: id }; }
    return { record: contactId ? { ContactId: id } : { LeadId: id } };
  }
}

/** Salesforce's record-level error as a countable reason. */
function reasonOf(error: SalesforceError | undefined): string {
  const code = error?.statusCode ?? error?.errorCode ?? "";
  if (/INVALID_CROSS_REFERENCE_KEY|MALFORMED_ID|INVALID_ID_FIELD/.test(code)) { return "unknown contact or lead id"; }
  if (code === "ENTITY_IS_DELETED") { return "deleted contact or lead"; }
  if (!error) { return "not added"; }
  return `${String(error.message ?? code).replace(/\.$/, "").toLowerCase().slice(0, 80)}${code ? ` (${code})` : ""}`;
}

export class CampaignMembers implements RowDestination<Member> {
  readonly wording: TallyWording;
  readonly concurrency = 4;
  /** Members Salesforce already had in the campaign. */
  alreadyMembers = 0;
  private campaign?: Promise<Campaign>;
  private campaignName: string;

  constructor(
    private readonly api: SalesforceApi, private readonly target: CampaignTarget,
    private readonly status: string | undefined, readonly batchSize: number,
    /** The delivery's mark (hub/delivery_mark.ts) a created campaign carries in its Description. */
    private readonly mark?: string,
  ) {
    this.campaignName = "create" in target ? target.create : target.append;
    this.wording = { vendor: "Salesforce", noun: "campaign member",
      accepted: (n) => `Added ${n} to the Salesforce campaign "${this.campaignName}"` };
  }

  prepare(fields: JsonDetailFields): RowMapper<Member> {
    const all = allFields(fields);
    const contact = column(all, "sfdc_contact_id", /contact id/i);
    const lead = column(all, "sfdc_lead_id", /lead id/i);
    if (!contact && !lead) {
      throw new UserError(missingTagMessage(MEMBER_TAGS, "to say which Salesforce contact or lead each row is"));
    }
    return new MemberMapper(contact, lead);
  }

  async send(batch: Array<NumberedRecord<Member>>): Promise<BatchOutcome> {
    const campaign = await this.theCampaign();
    const records = batch.map(({ record }) => ({ attributes: { type: "CampaignMember" }, CampaignId: campaign.id,
      ...record, ...(this.status ? { Status: this.status } : {}) }));
    const results = await this.api.createRecords(records);
    let accepted = 0;
    const rejected: RowRejection[] = [];
    results.forEach((result, i) => {
      const errors = result.errors ?? [];
      if (result.success) {
        accepted++;
      } else if (errors.some((e) => (e.statusCode ?? e.errorCode) === "DUPLICATE_VALUE")) {
        accepted++;
        this.alreadyMembers++;
      } else {
        const { row, record } = batch[i];
        rejected.push({ row, reason: reasonOf(errors[0]), example: record.ContactId ?? record.LeadId });
      }
    });
    return { accepted, rejected };
  }

  /** " 12 of them were members already." when some were. */
  note(): string {
    if (!this.alreadyMembers) { return ""; }
    return ` ${formatCount(this.alreadyMembers)} of them ${this.alreadyMembers === 1 ? "was a member" :
      "were members"} already.`;
  }

  /** The campaign this delivery creates: the one it made already when it is sent again (its mark), else a new one. */
  private async createdOnce(name: string): Promise<Campaign> {
    const mark = this.mark;
    return (mark && await this.api.markedCampaign(name, mark)) || this.api.createCampaign(name, mark);
  }

  /** The campaign, created or looked up once, by the first chunk. */
  private theCampaign(): Promise<Campaign> {
    if (!this.campaign) {
      this.campaign = ("create" in this.target ? this.createdOnce(this.target.create)
        : this.api.campaign(this.target.append)).then((c) => { this.campaignName = c.name; return c; });
    }
    return this.campaign;
  }
}
