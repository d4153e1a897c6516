// Rows to Salesforce campaign members through the shared pipeline: each row's contact id (the
// field tagged sfdc_contact_id, else labelled "Contact ID") or lead id (sfdc_lead_id / "Lead ID")
// becomes a CampaignMember, created with the Composite API in chunks (allOrNone false, so
// Salesforce answers member by member). The campaign is created or looked up with the first
// chunk, after the fields were checked: a missing tag fails before any call. A member that is
// already in the campaign (DUPLICATE_VALUE) is where it should be: counted apart, not rejected,
// which also makes a resent chunk harmless.
import { BatchOutcome, NumberedRecord, RowDestination, RowMapper } from "../../data/rows/row_pipeline";
import type { MappingRecipe } from "../../data/rows/row_mapping";
import { RecordBodies } from "../../data/rows/record_bodies";
import { formatCount, RowRejection, TallyWording } from "../../data/rows/row_tally";
import { JsonDetailFields } from "../../data/rows/rows";
import { CAMPAIGN_MEMBERS_MAPPING_MODULE, campaignMembersMapping, Member } from "./campaign_members_mapping";
import { Campaign, SalesforceApi, SalesforceError } from "./salesforce_api";

export { MEMBER_TAGS } from "./campaign_members_mapping";
export type { Member } from "./campaign_members_mapping";

/** How the delivery finds its campaign: a name to create, or the id of an existing one. */
export type CampaignTarget = { create: string } | { append: string };

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
  /** Rows are read and mapped on a row worker when the pool has one (campaign_members_mapping.ts). */
  readonly recipe: MappingRecipe = { module: CAMPAIGN_MEMBERS_MAPPING_MODULE, factory: "campaignMembersMapping",
    args: {} };
  /** Members Salesforce already had in the campaign. */
  alreadyMembers = 0;
  private campaign?: Promise<Campaign>;
  private readonly bodies = new RecordBodies();
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

  prepare(fields: JsonDetailFields, hidden: Set<string>): RowMapper<Member> {
    return campaignMembersMapping().prepare(fields, hidden);
  }

  async send(batch: Array<NumberedRecord<Member>>): Promise<BatchOutcome> {
    const campaign = await this.theCampaign();
    // Each member's bytes spliced into its CampaignMember, as JSON.stringify wrote
    // {attributes, CampaignId, ...member, Status} (a member has one key, ContactId or LeadId):
    // a row worker's members are not parsed again. The body is written into memory used again
    // for the next requests (record_bodies.ts).
    const results = await this.bodies.postMembers(batch, '{"allOrNone":false,"records":[', "]}",
      [`{"attributes":{"type":"CampaignMember"},"CampaignId":${JSON.stringify(campaign.id)},`,
        `${this.status ? `,"Status":${JSON.stringify(this.status)}` : ""}}`],
      (body) => this.api.createRecords(body, batch.length));
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
