// The burst's vendors, in their own process (so their work is not the bench's or the hub's):
// a webhook receiver that hashes each POST body, the fake Slack (test/fakes/slack_api.ts)
// hashing each upload, and a Segment /v1/batch endpoint counting messages. Sends its ports
// when listening; answers what arrived when sent any message over IPC.
import { createHash } from "crypto";
import * as http from "http";
import { AddressInfo } from "net";
import { FakeSlack } from "../test/fakes/slack_api";

export interface VendorPorts { webhook: number; segment: number; slackApiUrl: string; slackToken: string; }
export interface Arrived {
  webhook: Array<{ bytes: number; sha256: string }>;
  slack: Array<{ bytes: number; sha256: string }>;
  segmentMessages: number;
  segmentBatches: number;
}

function listen(server: http.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
}

async function main(): Promise<void> {
  const arrived: Arrived = { webhook: [], slack: [], segmentMessages: 0, segmentBatches: 0 };
  const webhook = http.createServer((req, res) => {
    const hash = createHash("sha256");
    let bytes = 0;
    req.on("data", (c: Buffer) => { hash.update(c); bytes += c.length; });
    req.on("end", () => {
      arrived.webhook.push({ bytes, sha256: hash.digest("hex") });
      res.end("ok");
    });
  });
  const segment = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      arrived.segmentMessages += JSON.parse(Buffer.concat(chunks).toString("utf8")).batch.length;
      arrived.segmentBatches++;
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"success":true}');
    });
  });
  const slack = await new FakeSlack().start();
  slack.keepBytesUpTo = 0;
  const ports: VendorPorts = {
    webhook: await listen(webhook), segment: await listen(segment), slackApiUrl: slack.apiUrl, slackToken: slack.token,
  };
  process.on("message", () => {
    arrived.slack = slack.uploads.map((u) => ({ bytes: u.bytes, sha256: u.sha256 }));
    process.send!(arrived);
    arrived.webhook = [];
    slack.uploads.length = 0;
    arrived.segmentMessages = 0;
    arrived.segmentBatches = 0;
  });
  process.send!(ports);
}

main().catch((err) => { process.stderr.write(`${err?.stack ?? err}\n`); process.exit(1); });
