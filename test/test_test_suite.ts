// The test suite's own machinery: one file runs alone when named, a variable left set cannot narrow
// the whole suite, and a run leaves no child process or temporary file behind, even when a test
// times out before its cleanup.
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.join(__dirname, "..");
const MOCHA = require.resolve("mocha/bin/mocha.js");

function mocha(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [MOCHA, ...args], {
    // The dry run's JSON report of every test passed spawnSync's default 1 MiB of output, cut mid-string.
    cwd: ROOT, encoding: "utf8", env: { ...process.env, ...env }, timeout: 120_000, maxBuffer: 64 * 1024 * 1024,
  });
}

function filesIn(jsonReport: string): Set<string> {
  const report = JSON.parse(jsonReport.slice(jsonReport.indexOf("{")));
  return new Set((report.tests as Array<{ file: string }>).map((t) => path.relative(ROOT, t.file)));
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("the test suite", function() {
  this.timeout(120_000);

  it("runs only the file it is given, and every test file when given none", () => {
    const one = mocha(["--dry-run", "--reporter", "json", "test/config/test_config.ts"]);
    expect([...filesIn(one.stdout)]).to.deep.equal(["test/config/test_config.ts"]);
    const all = filesIn(mocha(["--dry-run", "--reporter", "json"]).stdout);
    expect(all.size).to.be.greaterThan(20);
    expect(all.has("test/config/test_config.ts") && all.has("test/hardening/test_hostile_input.ts")).to.equal(true);
  });

  it("refuses a whole-suite run while SUITE_WIDE_ONLY would narrow it, and lets a named file run", () => {
    const all = mocha(["--dry-run", "--reporter", "json"], { SUITE_WIDE_ONLY: "debug" });
    expect(all.status).to.not.equal(0);
    expect(all.stderr).to.include("SUITE_WIDE_ONLY is set: it narrows the suite-wide tests. Unset it");
    const one = mocha(["--dry-run", "--reporter", "json", "test/config/test_config.ts"], { SUITE_WIDE_ONLY: "debug" });
    expect(one.status, one.stderr).to.equal(0);
  });

  it("ends the children and removes the temporary files of a test that timed out", () => {
    const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "suite-report-")), "report.json");
    const run = mocha(["--timeout", "2000", "test/fixtures/suite/leaves_behind.ts"], { LEFTOVER_REPORT: report });
    expect(run.status, run.stdout + run.stderr).to.equal(1);
    expect(run.stdout).to.match(/Timeout of 2000ms exceeded/);
    const left = JSON.parse(fs.readFileSync(report, "utf8"));
    expect(left.dir.startsWith(left.tmp)).to.equal(true);
    expect(isRunning(left.pid), `child ${left.pid} still running`).to.equal(false);
    expect(fs.existsSync(left.dir), left.dir).to.equal(false);
    expect(fs.existsSync(left.tmp), left.tmp).to.equal(false);
  });
});
