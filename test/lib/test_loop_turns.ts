// Turns of the event loop: a turn's budget of delivery work, and readers resumed after the
// sockets that waited. Clocks are passed in or stubbed: nothing here depends on real timing.
import { expect } from "chai";
import * as sinon from "sinon";
import { PassThrough } from "stream";
import { readExecuteBody } from "../../src/data/body/payload_stream";
import { nextTurn, TURN_BUDGET_MS, turnSpent } from "../../src/lib/loop_turns";
import { createLogger } from "../../src/lib/logger";

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe("loop turns", () => {
  it("says a turn is spent once its work took the budget, and starts a new budget at the next turn", async () => {
    await turn();
    expect(turnSpent(1000)).to.equal(false);
    expect(turnSpent(1000 + TURN_BUDGET_MS)).to.equal(false);
    expect(turnSpent(1001 + TURN_BUDGET_MS)).to.equal(true);
    await turn();
    expect(turnSpent(5000)).to.equal(false);
  });

  it("resumes waiting readers in arrival order, after I/O that was ready", async () => {
    const order: string[] = [];
    nextTurn(() => order.push("first"));
    nextTurn(() => order.push("second"));
    setTimeout(() => order.push("timer"), 0);
    expect(order).to.deep.equal([]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(order.filter((o) => o !== "timer")).to.deep.equal(["first", "second"]);
  });

  describe("an execute body whose every chunk comes after its turn was spent", () => {
    let clock = 0;
    let stub: sinon.SinonStub;
    beforeEach(() => {
      // Each look at the clock is 30 ms later: every turn is spent at its second chunk.
      stub = sinon.stub(performance, "now").callsFake(() => (clock += 30));
    });
    afterEach(() => stub.restore());

    it("ends the delivery when the body ended while its last chunk waited, that chunk filling the buffer", async () => {
      // 64 pieces of 4 KiB: the last one (with the body's end) brings the delivery's buffer to its
      // high-water mark (256 KiB), so working on it holds the input; the consumer starts late.
      const piece = "x".repeat(4096);
      const head = JSON.stringify({ type: "query", data: {}, form_params: {}, scheduled_plan: { title: "t" },
        attachment: { mimetype: "text/csv", extension: "csv", data: "" } }).slice(0, -3);
      const source = new PassThrough({ highWaterMark: 8 * 1024 * 1024 });
      const logger = createLogger({ level: "error", format: "json", stream: new PassThrough() });
      const ended = new Promise((resolve) => source.once("end", resolve));
      const context = { requestId: "r", logger, lookerVersion: undefined as never };
      const reading = readExecuteBody({ readable: source }, context);
      source.write(head);
      for (let i = 0; i < 63; i++) { source.write(piece); }
      source.end(piece + '"}}');
      const body = await reading;
      await ended;
      for (let i = 0; i < 5; i++) { await turn(); }
      let length = 0;
      for await (const chunk of await body.request.delivery!.stream()) { length += (chunk as Buffer).length; }
      expect(length).to.equal(64 * 4096);
      body.dispose();
    });

    for (const [name, mimetype, encode] of [
      ["plain text", "text/csv", (s: string) => s],
      ["base64", "application/pdf;base64", (s: string) => Buffer.from(s).toString("base64")],
    ] as Array<[string, string, (s: string) => string]>) {
      it(`delivers ${name} data whole and in order to a slow consumer, the end after its last chunk`, async () => {
        const data = Array.from({ length: 30_000 }, (_, i) => `row ${i},"a \\"quoted\\" value"\n`).join("");
        const text = JSON.stringify({ type: "query", data: {}, form_params: {}, scheduled_plan: { title: "t" },
          attachment: { mimetype, extension: "csv", data: encode(data) } });
        const source = new PassThrough();
        const logger = createLogger({ level: "error", format: "json", stream: new PassThrough() });
        const reading = readExecuteBody({ readable: source, declaredLength: Buffer.byteLength(text) },
          { requestId: "r", logger, lookerVersion: undefined as never });
        const bytes = Buffer.from(text);
        (async () => {
          for (let at = 0; at < bytes.length; at += 4096) {
            if (!source.write(bytes.subarray(at, at + 4096))) { await new Promise((r) => source.once("drain", r)); }
          }
          source.end();
        })();
        const body = await reading;
        const out: Buffer[] = [];
        // A slow consumer, so that backpressure holds the input too.
        for await (const chunk of await body.request.delivery!.stream()) {
          out.push(chunk as Buffer);
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
        expect(Buffer.concat(out).toString()).to.equal(data);
        body.dispose();
      });
    }
  });
});
