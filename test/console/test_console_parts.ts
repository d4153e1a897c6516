import { expect } from "chai";
import { PassThrough } from "stream";
import { DownloadStore } from "../../src/console/download_store";
import { OAuthMailbox } from "../../src/console/oauth_mailbox";
import { sampleBytes, SAMPLES } from "../../src/console/samples";
import { createLogger } from "../../src/lib/logger";
import { LogRing } from "../../src/lib/log_ring";

describe("console parts", () => {
  describe("LogRing", () => {
    function logged(limits = {}) {
      const ring = new LogRing(limits);
      const logger = createLogger({ level: "info", format: "json", stream: new PassThrough() });
      logger.add(ring);
      return { ring, logger };
    }

    it("keeps each request's lines by request id, formatted as the logs hold them", () => {
      const { ring, logger } = logged();
      logger.child({ requestId: "a" }).info("first", { n: 1 });
      logger.child({ requestId: "b" }).info("other");
      logger.child({ requestId: "a" }).warn("second");
      logger.info("no request");
      const a = ring.linesOf("a").lines.map((l) => JSON.parse(l));
      expect(a.map((l) => l.message)).to.deep.equal(["first", "second"]);
      expect(a[0]).to.deep.include({ requestId: "a", n: 1, level: "info" });
      expect(ring.linesOf("nothing")).to.deep.equal({ lines: [], dropped: 0 });
    });

    it("is bounded: requests, lines per request and line length", () => {
      const { ring, logger } = logged({ maxRequests: 2, maxLinesPerRequest: 3, maxLineLength: 80 });
      for (const id of ["r1", "r2", "r3"]) { logger.child({ requestId: id }).info("x"); }
      expect(ring.linesOf("r1").lines).to.deep.equal([]);
      expect(ring.linesOf("r3").lines).to.have.length(1);
      for (let i = 0; i < 5; i++) { logger.child({ requestId: "r3" }).info("y".repeat(200)); }
      const r3 = ring.linesOf("r3");
      expect(r3.lines).to.have.length(3);
      expect(r3.dropped).to.equal(3);
      expect(r3.lines[1].length).to.be.at.most(81);
    });
  });

  describe("DownloadStore", () => {
    it("gives the data once, and not after the hour", () => {
      let now = 0;
      const store = new DownloadStore({ ttlMs: 1000 }, () => now);
      const a = store.put(Buffer.from("a"), "text/csv");
      const b = store.put(Buffer.from("b"), "text/csv");
      expect(a).to.match(/^[A-Za-z0-9_-]{32}$/);
      expect(store.take(a)?.bytes.toString()).to.equal("a");
      expect(store.take(a)).to.equal(undefined);
      now = 1001;
      expect(store.take(b)).to.equal(undefined);
    });

    it("forgets the oldest past its bounds in count and bytes", () => {
      const store = new DownloadStore({ maxEntries: 2, maxTotalBytes: 10 });
      const a = store.put(Buffer.alloc(4), "x");
      const b = store.put(Buffer.alloc(4), "x");
      const c = store.put(Buffer.alloc(4), "x");
      expect(store.take(a)).to.equal(undefined);
      expect(store.take(b)).not.to.equal(undefined);
      expect(store.take(c)).not.to.equal(undefined);
    });
  });

  describe("OAuthMailbox", () => {
    it("takes deliveries only for open slots, once, within 15 minutes", () => {
      let now = 0;
      const box = new OAuthMailbox(() => now);
      const slot = box.open();
      expect(box.deliver("other", { kind: "state", value: "x" })).to.equal(false);
      expect(box.deliver(slot, { kind: "code", value: "c" })).to.equal(true);
      expect(box.deliver(slot, { kind: "code", value: "d" })).to.equal(false);
      expect(box.take(slot)).to.deep.equal({ kind: "code", value: "c" });
      expect(box.take(slot)).to.equal("unknown");
      const late = box.open();
      now = 15 * 60 * 1000;
      expect(box.deliver(late, { kind: "state", value: "x" })).to.equal(false);
      expect(box.take(late)).to.equal("unknown");
    });
  });

  describe("samples", () => {
    it("render in every format they list, and nothing else", () => {
      for (const sample of SAMPLES) {
        for (const format of sample.formats) {
          expect(sampleBytes(sample.id, format)!.length, `${sample.id} ${format}`).to.be.greaterThan(50);
        }
        expect(sampleBytes(sample.id, "xlsx")).to.equal(undefined);
      }
    });

    it("quote CSV cells that hold commas and carry the field labels as the header", () => {
      const csv = sampleBytes("users", "csv")!.toString().split("\n");
      expect(csv[0]).to.equal(
        "Users ID,Users Email,Users Name,Users Phone,Users Company ID,Orders Count,Orders Total Revenue");
      expect(csv).to.have.length(7);
    });
  });
});
