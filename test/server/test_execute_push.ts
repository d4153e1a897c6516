import { expect } from "chai";
import * as fs from "fs";
import * as http from "http";
import * as net from "net";
import request from "supertest";
import { DebugIntegration } from "../../src/integrations/debug/debug";
import { authHeader, buildTestApp } from "../helpers/app";
import { eventually, openFilesIn, RecordingIntegration, tempSpoolDir } from "../helpers/deliveries";

const PLAN = { title: "Weekly revenue", query_id: 55 };
const CSV = 'id,name\n1,"Smith, J"\n2,Lee\n';

/** An execute body with its keys in the given order; `data` is the attachment's data. */
function body(order: string[], attachment: Record<string, unknown>): string {
  const parts: Record<string, unknown> = {
    type: "query",
    scheduled_plan: PLAN,
    data: { api_key: "k-123" },
    form_params: { channel: "#sales" },
    attachment,
  };
  return "{" + order.map((key) => `${JSON.stringify(key)}:${JSON.stringify(parts[key])}`).join(",") + "}";
}

const PARAMS_FIRST = ["type", "scheduled_plan", "data", "form_params", "attachment"];
const ATTACHMENT_FIRST = ["attachment", "type", "scheduled_plan", "data", "form_params"];

describe("execute: push deliveries read as they arrive", () => {
  let spoolDir: string;
  let recorder: RecordingIntegration;
  let app: ReturnType<typeof buildTestApp>["app"];

  beforeEach(() => {
    spoolDir = tempSpoolDir();
    recorder = new RecordingIntegration();
    app = buildTestApp([recorder, new DebugIntegration()], { SPOOL_DIR: spoolDir, MAX_DELIVERY_BYTES: "1M" }).app;
  });
  afterEach(async () => {
    await eventually(() => openFilesIn(spoolDir).length === 0);
    expect(fs.readdirSync(spoolDir)).to.deep.equal([]);
    fs.rmSync(spoolDir, { recursive: true, force: true });
  });

  function post(text: string | Buffer, path = "/actions/recorder/execute") {
    return request(app).post(path).set("Authorization", authHeader())
      .set("Content-Type", "application/json").send(text);
  }

  for (const [name, order, kind] of [
    ["params before the attachment", PARAMS_FIRST, "LivePushDelivery"],
    ["the attachment before the params", ATTACHMENT_FIRST, "SpooledPushDelivery"],
  ] as Array<[string, string[], string]>) {
    it(`streams plain text data with ${name}`, async () => {
      const res = await post(body(order, { mimetype: "text/csv", extension: "csv", data: CSV })).expect(200);
      expect(res.body.looker).to.include({ success: true, message: `got ${CSV.length} bytes` });
      const seen = recorder.records[0];
      expect(seen.deliveryKind).to.equal(kind);
      expect(seen.params).to.deep.equal({ api_key: "k-123" });
      expect(seen.formParams).to.deep.equal({ channel: "#sales" });
      expect(seen.planTitle).to.equal("Weekly revenue");
      expect(seen.format).to.equal("csv");
      expect(seen.data!.toString()).to.equal(CSV);
    });

    it(`decodes base64 data on the fly with ${name}`, async () => {
      const png = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 31) % 256));
      const attachment = { mimetype: "image/png;base64", extension: "png", data: png.toString("base64") };
      await post(body(order, attachment)).expect(200);
      expect(recorder.records[0].deliveryKind).to.equal(kind);
      expect(recorder.records[0].data!.equals(png)).to.equal(true);
    });

    it(`passes inline JSON data through with ${name}`, async () => {
      const rows = [{ "users.id": 1, "users.name": "Ann \"A\"" }, { "users.id": 2, "users.name": "Bo" }];
      await post(body(order, { mimetype: "application/json", extension: "json", data: rows })).expect(200);
      expect(recorder.records[0].deliveryKind).to.equal(kind);
      expect(JSON.parse(recorder.records[0].data!.toString())).to.deep.equal(rows);
    });
  }

  it("spools when the mimetype comes after the data inside the attachment", async () => {
    const text = '{"type":"query","data":{},"form_params":{},"scheduled_plan":null,' +
      `"attachment":{"data":${JSON.stringify(Buffer.from("hello").toString("base64"))},` +
      '"extension":"txt","mimetype":"text/plain;base64"}}';
    await post(text).expect(200);
    expect(recorder.records[0].deliveryKind).to.equal("SpooledPushDelivery");
    expect(recorder.records[0].data!.toString()).to.equal("hello");
  });

  it("frees the spool when the integration fails midway", async () => {
    recorder.failAfterBytes = 10;
    const res = await post(body(ATTACHMENT_FIRST, { mimetype: "text/csv", extension: "csv", data: CSV.repeat(50) }));
    expect(res.status).to.equal(500);
    expect(res.body.looker.success).to.equal(false);
    expect(recorder.records[0].deliveryKind).to.equal("SpooledPushDelivery");
  });

  it("answers an execute without data clearly, without waiting for any", async () => {
    const res = await post('{"type":"query","attachment":null,"scheduled_plan":null,"data":{}}').expect(200);
    expect(res.body.looker).to.include({ success: true, message: "no data" });
  });

  it("answers 400 JSON for a body whose JSON is cut short, before and after the data began", async () => {
    const full = body(PARAMS_FIRST, { mimetype: "text/csv", extension: "csv", data: CSV });
    const streaming = await post(full.slice(0, full.length - 3));
    expect(streaming.status).to.equal(400);
    expect(streaming.body.looker.message).to.match(/not valid JSON: The JSON document ends before it is complete/);
    expect(recorder.records[0].error).to.be.instanceOf(Error);
    const cut = body(ATTACHMENT_FIRST, { mimetype: "text/csv", extension: "csv", data: CSV }).slice(0, 60);
    const spooling = await post(cut);
    expect(spooling.status).to.equal(400);
    expect(spooling.body).to.deep.include({ success: false });
    expect(spooling.body.error).to.match(/not valid JSON/);
    expect(recorder.records.length).to.equal(1);
  });

  it("answers 400 JSON for a body that is not a JSON object or not JSON", async () => {
    expect((await post("[1,2]").expect(400)).body.error).to.equal("The request body must be a JSON object.");
    expect((await post("{nope").expect(400)).body.error).to.match(/not valid JSON/);
  });

  it("refuses a body larger than MAX_DELIVERY_BYTES by its Content-Length, unread", async () => {
    const big = body(PARAMS_FIRST, { mimetype: "text/csv", extension: "csv", data: "x".repeat(1024 * 1024) });
    const res = await post(big).expect(413);
    expect(res.body.error).to.match(/larger than this integration service accepts \(1048576 bytes\)/);
    expect(recorder.records).to.deep.equal([]);
  });

  it("fails a chunked body once it grows past MAX_DELIVERY_BYTES", async () => {
    const address = await listen(app);
    const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.request(`${address.url}/actions/recorder/execute`, {
        method: "POST", headers: { "Authorization": authHeader(), "Transfer-Encoding": "chunked" },
      }, (res) => {
        let text = "";
        res.on("data", (c) => { text += c; });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on("error", reject);
      const head = body(PARAMS_FIRST, { mimetype: "text/csv", extension: "csv", data: "" });
      req.write(head.slice(0, head.length - 3));
      const block = "y".repeat(64 * 1024);
      for (let k = 0; k < 20; k++) { req.write(block); }
      req.end('"}}');
    });
    address.close();
    expect(answer.status).to.equal(413);
    expect(JSON.parse(answer.text).looker.message).to.match(/larger than this integration service accepts/);
    expect(recorder.records[0].error!.message).to.match(/MAX_DELIVERY_BYTES/);
  });

  it("fails the delivery when the connection drops mid-body, and stays up", async () => {
    const address = await listen(app);
    const head = body(PARAMS_FIRST, { mimetype: "text/csv", extension: "csv", data: "" }).slice(0, -3);
    await new Promise<void>((resolve) => {
      const socket = net.connect(Number(new URL(address.url).port), "127.0.0.1", () => {
        socket.write(`POST /actions/recorder/execute HTTP/1.1\r\nHost: x\r\nAuthorization: ${authHeader()}\r\n` +
          `Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n${head}${"z".repeat(5000)}`);
        setTimeout(() => { socket.destroy(); resolve(); }, 100);
      });
    });
    await eventually(() => recorder.records[0]?.error !== undefined);
    expect(recorder.records[0].error!.message).to.match(/cut off after \d+ bytes/);
    const res = await request(address.url).post("/").set("Authorization", authHeader()).expect(200);
    expect(res.body.integrations.length).to.equal(2);
    address.close();
  });

  it("never reads the body of an unauthenticated execute", async () => {
    const res = await request(app).post("/actions/recorder/execute").send("{}").expect(403);
    expect(res.body).to.deep.equal({ success: false, error: "Invalid 'Authorization' header." });
    expect(recorder.records).to.deep.equal([]);
  });

  it("counts rows of csv and json formats in the debug integration", async () => {
    const csvBody = body(PARAMS_FIRST, { mimetype: "text/csv", extension: "csv", data: CSV });
    const csv = await post(csvBody, "/actions/debug/execute");
    expect(csv.body.looker.message).to.equal(`received ${CSV.length} bytes, 2 rows`);
    const detail = fs.readFileSync(`${__dirname}/../fixtures/json_detail_example.json`, "utf8");
    const jsonBody = body(ATTACHMENT_FIRST, { mimetype: "application/json", extension: "json", data: detail });
    const json = await post(jsonBody, "/integrations/debug/action");
    expect(json.body.looker.message).to.equal(`received ${Buffer.byteLength(detail)} bytes, 13 rows`);
  });
});

async function listen(app: http.RequestListener): Promise<{ url: string; close(): void }> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => { server.closeAllConnections(); server.close(); } };
}
