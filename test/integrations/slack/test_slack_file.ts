import { expect } from "chai";
import { createHash, randomBytes } from "crypto";
import { startDownloadServer } from "../../fakes/download_server";
import { CSV, queryBody, SlackHarness, slackHarness } from "./slack_setup";

describe("slack: files", () => {
  let h: SlackHarness;
  beforeEach(async () => { h = await slackHarness(); });
  afterEach(async () => { await h.close(); });

  it("uploads by the external flow (token, name, length, bytes, channel), then posts the comment", async () => {
    const res = await h.post("execute", queryBody(h.fake)).expect(200);
    expect(res.body.looker).to.include({ success: true });
    expect(res.body.looker.message).to.contain('"revenue.csv"').and.to.contain("C0123ABCD");
    expect(h.fake.calls.map((c) => c.method)).to.deep.equal(["files.getUploadURLExternal",
      "files.completeUploadExternal", "chat.postMessage"]);
    for (const call of h.fake.calls) { expect(call.authorization).to.equal(`Bearer ${h.fake.token}`); }
    const [urlCall, complete] = h.fake.calls;
    expect(urlCall.args).to.include({ filename: "revenue.csv", length: String(Buffer.byteLength(CSV)) });
    expect(h.fake.uploads).to.have.length(1);
    const upload = h.fake.uploads[0];
    expect(upload.body!.toString("utf8")).to.equal(CSV);
    expect(upload.contentLength).to.equal(String(Buffer.byteLength(CSV)));
    expect(complete.args).to.include({ channel_id: "C0123ABCD" }).and.not.have.property("initial_comment");
    expect(JSON.parse(complete.args.files)).to.deep.equal([{ id: upload.fileId, title: "revenue.csv" }]);
    // The comment is a message of its own, where Slack renders links (initial_comment does not).
    expect(h.fake.callsOf("chat.postMessage")[0].args).to.include({ channel: "C0123ABCD", text: "Weekly numbers" });
    expect(h.fake.callsOf("files.upload")).to.have.length(0);
    expect(h.leftovers()).to.deep.equal([]);
  });

  it("uploads the data Looker offers at a download URL (the url download setting)", async () => {
    const download = await startDownloadServer((_req, res) => { res.writeHead(200).end(CSV); });
    try {
      const body = queryBody(h.fake, { attachment: null, formParams: { format: "csv" } });
      (body.scheduled_plan as any).download_url = `${download.url}/once/abc`;
      const res = await h.post("execute", body).expect(200);
      expect(res.body.looker).to.include({ success: true });
      expect(download.requests.map((r) => r.path)).to.deep.equal(["/once/abc"]);
      expect(h.fake.uploads[0].body!.toString("utf8")).to.equal(CSV);
      expect(h.fake.callsOf("files.getUploadURLExternal")[0].args.filename).to.equal("revenue.csv");
      expect(h.leftovers()).to.deep.equal([]);
    } finally {
      await download.close();
    }
  });

  it("uploads a download of unknown length (chunked) through a temporary file, with its length", async () => {
    const download = await startDownloadServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/csv" });
      res.write(CSV.slice(0, 10));
      res.end(CSV.slice(10));
    });
    try {
      const body = queryBody(h.fake, { attachment: null, formParams: { format: "csv" } });
      (body.scheduled_plan as any).download_url = `${download.url}/once/chunked`;
      const res = await h.post("execute", body).expect(200);
      expect(res.body.looker).to.include({ success: true });
      expect(h.fake.callsOf("files.getUploadURLExternal")[0].args.length).to.equal(String(Buffer.byteLength(CSV)));
      expect(h.fake.uploads[0].contentLength).to.equal(String(Buffer.byteLength(CSV)));
      expect(h.fake.uploads[0].body!.toString("utf8")).to.equal(CSV);
      expect(h.leftovers()).to.deep.equal([]);
    } finally {
      await download.close();
    }
  });

  it("names a dashboard PDF after the schedule's title and sends the decoded bytes", async () => {
    const pdf = Buffer.concat([Buffer.from("%PDF-1.4\n"), randomBytes(3000)]);
    const body = queryBody(h.fake, {
      type: "dashboard",
      formParams: { filename: "", initial_comment: "" },
      attachment: { mimetype: "application/pdf;base64", extension: "pdf", data: pdf.toString("base64") },
    });
    (body.scheduled_plan as any).title = "Sales / Board";
    const res = await h.post("execute", body).expect(200);
    expect(res.body.looker.success).to.equal(true);
    expect(h.fake.callsOf("files.getUploadURLExternal")[0].args.filename).to.equal("Sales Board.pdf");
    expect(h.fake.uploads[0].body!.equals(pdf)).to.equal(true);
    expect(h.fake.callsOf("files.completeUploadExternal")[0].args).to.not.have.property("initial_comment");
    expect(h.fake.callsOf("chat.postMessage")).to.have.length(0);
  });

  it("keeps a typed name that already has the right extension", async () => {
    await h.post("execute", queryBody(h.fake, { formParams: { filename: "q3.CSV" } })).expect(200);
    expect(h.fake.callsOf("files.getUploadURLExternal")[0].args.filename).to.equal("q3.CSV");
  });

  it("delivers to a person's ID as a direct message with chat:write alone (no conversations.open)", async () => {
    const res = await h.post("execute", queryBody(h.fake, { formParams: { channel: "U0PERSON1" } })).expect(200);
    expect(res.body.looker.success).to.equal(true);
    expect(h.fake.callsOf("conversations.open")).to.have.length(0);
    // The comment goes to the member ID, which answers the DM's channel; the file follows it there.
    const posted = h.fake.callsOf("chat.postMessage");
    expect(posted).to.have.length(1);
    expect(posted[0].args).to.include({ channel: "U0PERSON1", text: "Weekly numbers" });
    const complete = h.fake.callsOf("files.completeUploadExternal")[0].args;
    expect(complete.channel_id).to.equal("DU0PERSON1");
    expect(complete).to.not.have.property("initial_comment");
    expect(h.fake.uploads[0].body!.toString("utf8")).to.equal(CSV);
  });

  it("names the file in the direct message when there is no comment", async () => {
    const body = queryBody(h.fake, { formParams: { channel: "W0PERSON2", initial_comment: "" } });
    expect((await h.post("execute", body).expect(200)).body.looker.success).to.equal(true);
    expect(h.fake.callsOf("chat.postMessage")[0].args).to.include({ channel: "W0PERSON2",
      text: "Weekly revenue from Looker" });
    expect(h.fake.callsOf("files.completeUploadExternal")[0].args.channel_id).to.equal("DW0PERSON2");
    expect(h.fake.callsOf("conversations.open")).to.have.length(0);
  });

  it("opens the direct message with conversations.open only when Slack refuses the post to the member", async () => {
    h.fake.fail("chat.postMessage", { error: "channel_not_found" });
    const res = await h.post("execute", queryBody(h.fake, { formParams: { channel: "U0PERSON1" } })).expect(200);
    expect(res.body.looker.success).to.equal(true);
    expect(h.fake.callsOf("conversations.open")[0].args).to.include({ users: "U0PERSON1" });
    expect(h.fake.callsOf("chat.postMessage")[1].args).to.include({ channel: "DU0PERSON1" });
    expect(h.fake.callsOf("files.completeUploadExternal")[0].args.channel_id).to.equal("DU0PERSON1");
  });

  it("names im:write when Slack refuses the post and the app cannot open direct messages", async () => {
    h.fake.fail("chat.postMessage", { error: "channel_not_found" });
    h.fake.fail("conversations.open", { error: "missing_scope", needed: "im:write" });
    const res = await h.post("execute", queryBody(h.fake, { formParams: { channel: "U0PERSON1" } })).expect(200);
    expect(res.body.looker.success).to.equal(false);
    expect(res.body.looker.message).to.contain("\"im:write\"");
    expect(h.leftovers()).to.deep.equal([]);
  });

  it("finds a #channel-name among every page of channels", async () => {
    h.fake.channels = [{ id: "C0000001", name: "general" }, { id: "C0000002", name: "finance" },
      { id: "C0000003", name: "sales" }];
    const res = await h.post("execute", queryBody(h.fake, { formParams: { channel: "#sales" } })).expect(200);
    expect(res.body.looker.message).to.contain("#sales");
    expect(h.fake.callsOf("files.completeUploadExternal")[0].args.channel_id).to.equal("C0000003");
  });

  it("uploads a 5 MB delivery byte for byte and leaves no temporary file", async () => {
    const csv = "id,value\n" + Array.from({ length: 400_000 }, (_, i) => `${i},${(i * 7919) % 100000}`).join("\n");
    const expected = createHash("sha256").update(csv).digest("hex");
    const attachment = { mimetype: "text/csv", extension: "csv", data: csv };
    const res = await h.post("execute", queryBody(h.fake, { attachment })).expect(200);
    expect(res.body.looker.success).to.equal(true);
    expect(h.fake.uploads[0].bytes).to.equal(Buffer.byteLength(csv));
    expect(h.fake.uploads[0].sha256).to.equal(expected);
    expect(h.leftovers()).to.deep.equal([]);
  });

  it("retries the upload POST after a 5xx, sending the same bytes again", async () => {
    h.fake.uploadStatus = [503];
    const res = await h.post("execute", queryBody(h.fake)).expect(200);
    expect(res.body.looker.success).to.equal(true);
    expect(h.fake.uploads).to.have.length(2);
    expect(h.fake.uploads[1].body!.toString()).to.equal(CSV);
  });

  it("waits out a rate limit on completeUploadExternal per Retry-After", async () => {
    h.fake.fail("files.completeUploadExternal", { status: 429, retryAfter: 1 });
    const started = Date.now();
    const res = await h.post("execute", queryBody(h.fake)).expect(200);
    expect(res.body.looker.success).to.equal(true);
    expect(Date.now() - started).to.be.at.least(950);
    expect(h.fake.callsOf("files.completeUploadExternal")).to.have.length(2);
  });

  it("posts a message instead of an empty file when there are no results", async () => {
    const res = await h.post("execute", queryBody(h.fake, { attachment: null })).expect(200);
    expect(res.body.looker).to.include({ success: true });
    expect(res.body.looker.message).to.contain("no results");
    const post = h.fake.callsOf("chat.postMessage")[0];
    expect(post.args.channel).to.equal("C0123ABCD");
    expect(post.args.text).to.contain("Weekly numbers").and.to.contain('"Weekly revenue" has no results');
    expect(h.fake.callsOf("files.getUploadURLExternal")).to.have.length(0);
  });
});

describe("slack: size limit", () => {
  let h: SlackHarness;
  beforeEach(async () => { h = await slackHarness({ maxFileBytes: 1000 }); });
  afterEach(async () => { await h.close(); });

  it("refuses a file over Slack's limit with a clear message, before asking Slack", async () => {
    const data = "x,y\n" + "1,2\n".repeat(1000);
    const attachment = { mimetype: "text/csv", extension: "csv", data };
    const res = await h.post("execute", queryBody(h.fake, { attachment })).expect(200);
    expect(res.body.looker.success).to.equal(false);
    expect(res.body.looker.message).to.match(/larger than Slack accepts \(1000 bytes at most/);
    expect(h.fake.calls).to.have.length(0);
    expect(h.leftovers()).to.deep.equal([]);
  });

  it("refuses a download whose length is over the limit without reading it or asking Slack", async () => {
    const download = await startDownloadServer((_req, res) => {
      res.writeHead(200, { "content-length": "5000" });
      res.write("x,y\n");
    });
    try {
      const body = queryBody(h.fake, { attachment: null, formParams: { format: "csv" } });
      (body.scheduled_plan as any).download_url = `${download.url}/once/big`;
      const res = await h.post("execute", body).expect(200);
      expect(res.body.looker.success).to.equal(false);
      expect(res.body.looker.message).to.match(/larger than Slack accepts \(1000 bytes at most; this one is over 4\.9 KB/);
      expect(h.fake.calls).to.have.length(0);
      expect(h.leftovers()).to.deep.equal([]);
    } finally {
      await download.close();
    }
  });
});
