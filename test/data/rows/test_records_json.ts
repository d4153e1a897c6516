import { expect } from "chai";
import { membersJson, recordsJson, SerializedRecord } from "../../../src/data/rows/serialized_record";

type Member = Record<string, unknown>;

/** A record as a row worker hands it over: its JSON inside a larger output, at an offset. */
function serialized(row: number, record: Member): SerializedRecord<Member> {
  const json = JSON.stringify(record);
  const output = Buffer.from(`xx${json}yy`);
  return new SerializedRecord<Member>(row, output, 2, 2 + Buffer.byteLength(json));
}

const MEMBERS: Member[] = [
  { ContactId: "003000000000001AAA" }, { LeadId: "00Q000000000002AAA" },
  { ContactId: "é \"quoted\" \\ \u2028 😀" }, { LeadId: 12 }, { ContactId: "a", extra: [1, { b: null }] },
];

/** What Salesforce Campaigns wrote before: each member spread into its CampaignMember, then JSON.stringify. */
function composite(members: Member[], campaign: string, status?: string): string {
  return JSON.stringify({ allOrNone: false, records: members.map((m) => ({ attributes: { type: "CampaignMember" },
    CampaignId: campaign, ...m, ...(status ? { Status: status } : {}) })) });
}

function spliced(batch: Array<{ row: number; record: Member }>, campaign: string, status?: string): string {
  return Buffer.from(membersJson(batch, '{"allOrNone":false,"records":[', "]}",
    `{"attributes":{"type":"CampaignMember"},"CampaignId":${JSON.stringify(campaign)},`,
    `${status ? `,"Status":${JSON.stringify(status)}` : ""}}`)).toString("utf8");
}

describe("recordsJson and membersJson (a batch's body from its records, whichever thread wrote them)", () => {
  it("splices members into their objects as the object spread and JSON.stringify did, from bytes or objects", () => {
    for (const [campaign, status] of [["701000000000001", undefined], ["7\"01é", "Responded \"yes\""]] as const) {
      const want = composite(MEMBERS, campaign, status);
      const plain = MEMBERS.map((record, i) => ({ row: i + 1, record }));
      const bytes = MEMBERS.map((record, i) => serialized(i + 1, record));
      const mixed = MEMBERS.map((record, i) => (i % 2 ? serialized(i + 1, record) : { row: i + 1, record }));
      expect(spliced(plain, campaign, status)).to.equal(want);
      expect(spliced(bytes, campaign, status)).to.equal(want);
      expect(spliced(mixed, campaign, status)).to.equal(want);
      expect(spliced(bytes.slice(0, 1), campaign, status)).to.equal(composite(MEMBERS.slice(0, 1), campaign, status));
    }
  });

  it("leaves a serialised record readable where it was (copied, not moved) and recordsJson as it was", () => {
    const record = serialized(7, MEMBERS[2]);
    spliced([record], "c");
    expect(record.record).to.deep.equal(MEMBERS[2]);
    const batch = MEMBERS.map((m, i) => serialized(i + 1, m));
    expect(Buffer.from(recordsJson(batch, '{"inputs":[', "]}", ['{"create":', "}"])).toString())
      .to.equal(JSON.stringify({ inputs: MEMBERS.map((m) => ({ create: m })) }));
  });
});
