// A local Segment collection API: POST /v1/batch on 127.0.0.1, recording what it received
// (auth, headers, bytes, batches) and answering as told.
import * as http from "http";
import { AddressInfo } from "net";

export interface ReceivedBatch {
  /** The write key from `Authorization: Basic base64(<key>:)`, or undefined. */
  writeKey?: string;
  authorization?: string;
  userAgent?: string;
  contentType?: string;
  bytes: number;
  /** When the request arrived (Date.now()). */
  at: number;
  body: { batch: Array<Record<string, any>>; sentAt?: string; timestamp?: string; [k: string]: unknown };
  status: number;
}

export interface FakeAnswer {
  status: number;
  body?: unknown;
  /** Milliseconds before answering. */
  delayMs?: number;
  headers?: Record<string, string>;
}

export class FakeSegmentApi {
  readonly batches: ReceivedBatch[] = [];
  /** Answers for the next requests, in order; afterwards `answer` decides. */
  readonly script: FakeAnswer[] = [];
  /** Keys the API accepts; others get 401 (Segment-compatible endpoints answer so). */
  validKeys = new Set(["test-write-key"]);
  /** Decides an answer for a valid request; 200 by default. */
  answer: (batch: ReceivedBatch) => FakeAnswer = () => ({ status: 200 });
  inFlight = 0;
  maxInFlight = 0;
  private server = http.createServer((req, res) => this.handle(req, res));

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Every message of every batch answered 200, in arrival order. */
  get accepted(): Array<Record<string, any>> {
    return this.batches.filter((b) => b.status === 200).flatMap((b) => b.body.batch);
  }

  /** What Segment keeps of the accepted messages: one per messageId (Segment deduplicates on it). */
  get stored(): Array<Record<string, any>> {
    const byId = new Map<string, Record<string, any>>();
    for (const m of this.accepted) { if (!byId.has(m.messageId)) { byId.set(m.messageId, m); } }
    return [...byId.values()];
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      const auth = req.headers.authorization;
      const basic = auth && /^Basic (.+)$/.exec(auth);
      const decoded = basic ? Buffer.from(basic[1], "base64").toString("utf8") : undefined;
      const batch: ReceivedBatch = {
        writeKey: decoded?.endsWith(":") ? decoded.slice(0, -1) : undefined,
        authorization: auth,
        userAgent: req.headers["user-agent"],
        contentType: req.headers["content-type"],
        bytes: raw.length,
        at: Date.now(),
        body: { batch: [] },
        status: 0,
      };
      let answer: FakeAnswer;
      try {
        batch.body = JSON.parse(raw.toString("utf8"));
        answer = req.method !== "POST" || req.url !== "/v1/batch" ? { status: 404 }
          : !batch.writeKey || !this.validKeys.has(batch.writeKey)
            ? { status: 401, body: { success: false, message: "Invalid write key" } }
            : this.script.shift() ?? this.answer(batch);
      } catch {
        answer = { status: 400, body: { success: false, message: "Invalid JSON" } };
      }
      batch.status = answer.status;
      this.batches.push(batch);
      const reply = () => {
        this.inFlight--;
        res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
        res.end(JSON.stringify(answer.body ?? { success: answer.status === 200 }));
      };
      if (answer.delayMs) { setTimeout(reply, answer.delayMs); } else { reply(); }
    });
  }
}
