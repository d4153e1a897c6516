// The bench's vendor stand-ins: what they keep, how they count it after the clock, and HubSpot's
// answer written from a body's bytes. A bench figure is only as good as its stand-ins' checks.
import { expect } from "chai";
import { spawn } from "child_process";
import { EventEmitter } from "events";
import type * as http from "http";
import { countInto, hubspotAnswer, noCounts, routeOf } from "../../bench/crm_api";
import { KeptBodies } from "../../bench/kept_bodies";
import { askStandIn } from "../../bench/plain_stand_in";
import { SegmentChecker } from "../../bench/segment_api";

/** A request that emits `chunks` when told. */
function request(): EventEmitter & { send(text: string): void; finish(): void } {
  const req = new EventEmitter() as EventEmitter & { send(text: string): void; finish(): void };
  req.send = (text) => req.emit("data", Buffer.from(text));
  req.finish = () => req.emit("end");
  return req;
}

describe("bench stand-ins", () => {
  describe("KeptBodies", () => {
    it("keeps each body whole with its tag when requests' chunks interleave", () => {
      const kept = new KeptBodies<string>();
      const done: string[] = [];
      const a = request();
      const b = request();
      kept.take(a as unknown as http.IncomingMessage, "a", (body) => done.push(`a:${body}`));
      kept.take(b as unknown as http.IncomingMessage, "b", (body) => done.push(`b:${body}`));
      a.send("one ");
      b.send("uno ");
      a.send("two");
      b.send("dos");
      b.finish();
      a.finish();
      expect(done).to.deep.equal(["b:uno dos", "a:one two"]);
      expect(kept.bodies.map((k) => `${k.tag}:${k.body}`)).to.deep.equal(["b:uno dos", "a:one two"]);
    });

    /** Keeps `parts` as one body of `kept`'s; answers the kept bytes. */
    const keep = (kept: KeptBodies<number>, ...parts: string[]): Buffer => {
      const req = request();
      kept.take(req as unknown as http.IncomingMessage, 0, () => undefined);
      parts.forEach((part) => req.send(part));
      req.finish();
      return kept.bodies[kept.bodies.length - 1].body;
    };

    it("grows past its gathering buffer and gives a body larger than a slab a slab of its own", () => {
      const kept = new KeptBodies<number>();
      kept.reserve(1);
      const big = "x".repeat(33 * 1024 * 1024);
      expect(keep(kept, big.slice(0, 1000), big.slice(1000)).equals(Buffer.from(big))).to.equal(true);
      expect(keep(kept, "small").toString()).to.equal("small");
      expect(kept.bodies[0].body.equals(Buffer.from(big))).to.equal(true);
    });

    it("puts a run's bodies in the memory the last run used once clear() has forgotten them", () => {
      const kept = new KeptBodies<number>();
      const first = keep(kept, "one");
      expect(keep(kept, "two").buffer).to.equal(first.buffer);
      kept.clear();
      expect(kept.bodies).to.have.length(0);
      const again = keep(kept, "again");
      expect(again.toString()).to.equal("again");
      expect(again.buffer).to.equal(first.buffer);
      expect(again.byteOffset).to.equal(first.byteOffset);
    });
  });

  describe("the counting Segment", () => {
    const sentAt = '"sentAt":"2026-12-07T10:00:00.000Z"';
    const message = (id: string, extra = "") =>
      `{"type":"identify","context":{},"timestamp":"2026-12-07T10:00:00.000Z","messageId":"${id}"${extra}}`;
    const batch = (...messages: string[]) => Buffer.from(`{"batch":[${messages.join(",")}],${sentAt}}`);

    it("counts each row of one delivery once across bodies", () => {
      const checker = new SegmentChecker();
      checker.check(batch(message("looker-d1-1"), message("looker-d1-2")));
      checker.check(batch(message("looker-d1-3")));
      expect(checker.tally).to.deep.include({ messages: 3, batches: 2, distinct: 3, faults: 0 });
    });

    it("faults a row twice, another delivery's id, a message without its parts, and a body Segment would refuse", () => {
      const checker = new SegmentChecker();
      checker.check(batch(message("looker-d1-1"), message("looker-d1-1")));
      checker.check(batch(message("looker-d2-2")));
      checker.check(batch('{"type":"identify","messageId":"looker-d1-3"}'));
      checker.check(batch(message("looker-d1-x")));
      checker.check(Buffer.from(`{"batch":[${message("looker-d1-4")}]}`));
      checker.check(Buffer.from(`{"batch":[${message("looker-d1-5")}`));
      expect(checker.tally).to.deep.include({ batches: 6, distinct: 1, faults: 6 });
    });
  });

  describe("the counting CRM vendors", () => {
    type Input = { id: string; properties: Record<string, string> };
    const hubspotBody = (inputs: Input[]) => Buffer.from(JSON.stringify({ inputs }));
    const stamped = (inputs: Input[]) => JSON.stringify({
      status: "COMPLETE", results: inputs.map((input) => ({ ...input, createdAt: "2026-12-01T00:00:00Z",
        updatedAt: "2026-12-01T00:00:00Z", archived: false })),
      startedAt: "2026-12-01T00:00:00Z", completedAt: "2026-12-01T00:00:01Z" });

    it("answers a HubSpot batch update with every input again, byte for byte what parsing would give", () => {
      const inputs: Input[] = [
        { id: "1", properties: { email: "a@example.com", city: "Zürich" } },
        { id: "2", properties: { email: "b@example.com", note: "{\"x\":1}" } },
        { id: "3", properties: {} },
      ];
      expect(hubspotAnswer(hubspotBody(inputs)).toString("utf8")).to.equal(stamped(inputs));
      expect(hubspotAnswer(hubspotBody(inputs.slice(0, 1))).toString("utf8")).to.equal(stamped(inputs.slice(0, 1)));
      const reordered = Buffer.from(JSON.stringify({ inputs: [{ properties: { email: "c@example.com" }, id: "4" }] }));
      expect(JSON.parse(hubspotAnswer(reordered).toString()).results[0]).to.deep.include({ id: "4", archived: false });
    });

    it("counts every vendor's records after the fact, a fault for a body that is not its JSON", () => {
      const counts = noCounts();
      const count = (url: string, body: string) => countInto(counts, routeOf(url)!, Buffer.from(body));
      count("/crm/v3/objects/contacts/batch/update", JSON.stringify({ inputs: [{ id: "1" }, { id: "2" }] }));
      count("/s2s/v2/bulkevents", "[{},{},{}]");
      count("/s2s/v2/bulkevents", "[{},");
      count("/users/track", JSON.stringify({ attributes: [{}] }));
      count("/services/data/v59.0/composite/sobjects", JSON.stringify({ records: [{}, {}] }));
      count("/services/data/v59.0/sobjects/Campaign/701000000000001AAA", "");
      count("/rest/v1/campaigns/1001/trigger.json?x=1", "{}");
      expect(routeOf("/nowhere")).to.equal(undefined);
      expect(counts.hubspot).to.deep.include({ records: 2, requests: 1, faults: 0 });
      expect(counts.mparticle).to.deep.include({ records: 3, requests: 2, faults: 1 });
      expect(counts.braze).to.deep.include({ records: 1, requests: 1 });
      expect(counts.salesforce).to.deep.include({ records: 2, requests: 2, faults: 0 });
      expect(counts.marketo).to.deep.include({ records: 0, requests: 1, faults: 0 });
    });
  });

  it("askStandIn answers the stand-in's reply, and fails in bounded time when none comes", async () => {
    const child = spawn(process.execPath, ["-e", "process.on('message', (m) => { if (m === 'echo') process.send(m); })"],
      { stdio: ["ignore", "ignore", "ignore", "ipc"] });
    try {
      expect(await askStandIn<string>(child, "echo", 10)).to.equal("echo");
      const started = Date.now();
      const failed = await askStandIn(child, "silence", 0.2).then(() => undefined, (err: Error) => err);
      expect(failed?.message).to.match(/did not answer "silence" in 0.2 s/);
      expect(Date.now() - started).to.be.below(5000);
    } finally {
      child.kill();
    }
  });
});
