// The bench suite's own machinery: sections of bench/RESULTS.md and the open-loop generator.
import { expect } from "chai";
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { openLoop, percentile } from "../../bench/open_loop";
import { parseBenchArgs } from "../../bench/args";
import { writeSection } from "../../bench/results";

describe("bench suite", () => {
  it("writes bench/RESULTS.md only when asked with --write", () => {
    expect(parseBenchArgs([]).write).to.equal(false);
    expect(parseBenchArgs(["load", "--rate", "50"]).write).to.equal(false);
    expect(parseBenchArgs(["load", "--no-write"]).write).to.equal(false);
    const written = parseBenchArgs(["startup", "--write", "--runs", "3", "download"]);
    expect(written.write).to.equal(true);
    expect(written.names).to.deep.equal(["startup", "url"]);
    expect(written.options.get("runs")).to.equal("3");
  });

  it("--help (or -h) asks for the list of parts, never for a run of every part", () => {
    expect(parseBenchArgs(["--help"])).to.include({ help: true });
    expect(parseBenchArgs(["-h", "crm"])).to.include({ help: true });
    expect(parseBenchArgs(["--help"]).options.size).to.equal(0);
    expect(parseBenchArgs(["crm"]).help).to.equal(false);
  });

  describe("writeSection", () => {
    let dir: string;
    let file: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-results-"));
      file = path.join(dir, "RESULTS.md");
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("replaces a part's section in place and keeps the other sections and the text around them", () => {
      fs.writeFileSync(file, "# Results\nintro\n\n<!-- bench:list begin -->\nold list\n<!-- bench:list end -->\n\n" +
        "<!-- bench:push begin -->\nold push\n<!-- bench:push end -->\n\n## Notes\nby hand\n");
      writeSection(file, "list", "new list\n");
      expect(fs.readFileSync(file, "utf8")).to.equal("# Results\nintro\n\n" +
        "<!-- bench:list begin -->\nnew list\n<!-- bench:list end -->\n\n" +
        "<!-- bench:push begin -->\nold push\n<!-- bench:push end -->\n\n## Notes\nby hand\n");
    });

    it("adds a new part after the last section, and creates the file when missing", () => {
      writeSection(file, "rows", "rows figures");
      writeSection(file, "soak", "soak figures");
      const text = fs.readFileSync(file, "utf8");
      expect(text).to.match(/^# Benchmark results\n\n<!-- bench:rows begin -->\nrows figures\n<!-- bench:rows end -->/);
      expect(text.indexOf("bench:soak begin")).to.be.greaterThan(text.indexOf("bench:rows end"));
      writeSection(file, "rows", "rows again");
      const again = fs.readFileSync(file, "utf8");
      expect(again).to.include("rows again").and.include("soak figures");
      expect(again).not.to.include("rows figures");
    });
  });

  describe("openLoop", () => {
    let server: http.Server;
    let url: string;
    const seen: string[] = [];
    before(async () => {
      server = http.createServer((req, res) => {
        seen.push(`${req.url} ${req.headers.authorization}`);
        req.resume();
        req.on("end", () => {
          res.writeHead(req.url === "/broken" ? 500 : 200);
          res.end("fine");
        });
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(() => new Promise((resolve) => server.close(resolve)));

    it("sends exactly rate x seconds requests on schedule, by weight, and counts failed checks as errors", async () => {
      seen.length = 0;
      const check = (status: number) => status === 200 ? undefined : `status ${status}`;
      const result = await openLoop({
        url, key: "k", rate: 100, seconds: 0.5, kinds: [
          { name: "a", weight: 3, path: "/a", body: "{}", check },
          { name: "broken", weight: 2, path: "/broken", body: "{}", check },
        ],
      });
      expect(result.sent).to.equal(50);
      expect(result.completed).to.equal(50);
      expect(result.kinds.map((k) => [k.name, k.sent, k.errors, k.latencies.length]))
        .to.deep.equal([["a", 30, 0, 30], ["broken", 20, 20, 0]]);
      expect(result.errors).to.equal(20);
      expect([...result.errorSamples]).to.deep.equal([["broken: status 500", 20]]);
      // On schedule: the last request goes at 0.49 s, not at once. No upper bound: a loaded machine
      // may fire late, and speed is the bench's to measure, not a test's.
      expect(result.firedSeconds).to.be.at.least(0.48);
      expect(seen).to.have.length(50);
      expect(seen.every((line) => line.endsWith('Token token="k"'))).to.equal(true);
    });

    it("takes percentiles of sorted values", () => {
      const values = Array.from({ length: 100 }, (_, i) => i + 1);
      expect([percentile(values, 50), percentile(values, 99), percentile(values, 100)]).to.deep.equal([50, 99, 100]);
      expect(Number.isNaN(percentile([], 50))).to.equal(true);
    });
  });
});
