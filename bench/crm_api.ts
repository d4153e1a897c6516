// The CRM and marketing vendors for the bench, in a helper process run as plain JavaScript
// (plain_stand_in.ts: no TypeScript compiler in its heap for its collections to mark again):
// one server answering HubSpot's batch update (every record again, as HubSpot does), Marketo's
// identity, leads, and campaign calls, Braze's /users/track and mParticle's bulk events as each
// vendor does on success, counting
// the records received per vendor; the counts are told over IPC when asked.
import * as http from "http";

type Vendor = "hubspot" | "marketo" | "braze" | "mparticle" | "salesforce" | "airtable";

export function crmApi(): void {
  const counts: Record<Vendor, { records: number; requests: number }> = {
    hubspot: { records: 0, requests: 0 }, marketo: { records: 0, requests: 0 },
    braze: { records: 0, requests: 0 }, mparticle: { records: 0, requests: 0 },
    salesforce: { records: 0, requests: 0 }, airtable: { records: 0, requests: 0 },
  };
  let leadId = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = (req.url ?? "").split("?")[0];
      const answer = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(body === undefined ? "" : JSON.stringify(body));
      };
      const json = () => JSON.parse(Buffer.concat(chunks).toString("utf8"));
      const count = (vendor: Vendor, records: number) => {
        counts[vendor].records += records;
        counts[vendor].requests++;
      };
      if (/\/batch\/update$/.test(path)) {
        // As HubSpot answers a batch update: every record again, with its properties (about 25 KB for
        // 100 of the bench's); the hub does not read it, but it comes over the wire and through its parser.
        const inputs = json().inputs as Array<{ id: string; properties: object }>;
        count("hubspot", inputs.length);
        return answer(200, { status: "COMPLETE", results: inputs.map((input) => ({ id: input.id,
          properties: input.properties, createdAt: "2026-12-01T00:00:00Z", updatedAt: "2026-12-01T00:00:00Z",
          archived: false })), startedAt: "2026-12-01T00:00:00Z", completedAt: "2026-12-01T00:00:01Z" });
      }
      if (path === "/identity/oauth/token") {
        return answer(200, { access_token: "bench-token", token_type: "bearer", expires_in: 3600 });
      }
      if (path === "/rest/v1/leads.json") {
        const input = json().input as unknown[];
        count("marketo", input.length);
        return answer(200, { success: true, result: input.map(() => ({ id: ++leadId, status: "created" })) });
      }
      if (/^\/rest\/v1\/campaigns\/\d+\/trigger\.json$/.test(path)) {
        counts.marketo.requests++;
        return answer(200, { success: true, result: [{ id: 1001 }] });
      }
      if (path === "/users/track") {
        count("braze", json().attributes.length);
        return answer(201, { message: "success" });
      }
      if (path === "/s2s/v2/bulkevents") {
        count("mparticle", json().length);
        return answer(202, undefined);
      }
      if (/^\/services\/data\/v[\d.]+\/sobjects\/Campaign\/\w+$/.test(path)) {
        counts.salesforce.requests++;
        return answer(200, { Id: "701000000000001AAA", Name: "Bench" });
      }
      if (/^\/services\/data\/v[\d.]+\/composite\/sobjects$/.test(path)) {
        const records = json().records as unknown[];
        count("salesforce", records.length);
        return answer(200, records.map((_, i) => ({ id: `00v${String(i).padStart(15, "0")}`, success: true,
          errors: [] })));
      }
      if (/^\/v0\/meta\/bases\/\w+\/tables$/.test(path)) {
        counts.airtable.requests++;
        const names = ["users.id", "users.email", "users.city", "users.created_date", "users.sfdc_id", "orders.count", "orders.total"];
        return answer(200, { tables: [{ id: "tblBENCH00000001", name: "Audience",
          fields: names.map((name, i) => ({ id: `fld${i}`, name, type: "singleLineText" })) }] });
      }
      if (/^\/v0\/\w+\/\w+$/.test(path)) {
        const records = json().records as unknown[];
        count("airtable", records.length);
        const created = records.map((r, i) => ({ id: `rec${i}`, createdTime: "2026-12-01", ...r as object }));
        return answer(200, { records: created });
      }
      answer(404, { message: "not found" });
    });
  });
  server.listen(0, "127.0.0.1", () => process.send!({ port: (server.address() as { port: number }).port }));
  process.on("message", () => process.send!(counts));
}
