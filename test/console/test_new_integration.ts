// `npm run new-integration` in a temporary copy of the repository (its files without
// node_modules, which is linked): the generated integration type-checks and lints, its test and
// the contract test pass at once, and the test fails once the placeholder vendor call is
// replaced. To keep the suite quick the copy runs those four checks, not its whole `npm test`.
import { expect } from "chai";
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { generate, namesFor, readmeWithRow, registerIn } from "../../bin/new_integration";

const ROOT = path.join(__dirname, "..", "..");

interface Ran { code: number | null; output: string; }

function run(cwd: string, script: string, args: string[]): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      cwd, env: { PATH: process.env.PATH!, TS_NODE_PROJECT: path.join(cwd, "tsconfig.json") },
    });
    let output = "";
    child.stdout.on("data", (c) => { output += c; });
    child.stderr.on("data", (c) => { output += c; });
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, output }));
  });
}

/** The repository's files (tracked, and new ones not ignored) copied to a fresh folder. */
function copyRepository(): string {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), "hub-new-integration-"));
  const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard", "-z"], { cwd: ROOT, encoding: "utf8" })
    .split("\0").filter((f) => f && fs.existsSync(path.join(ROOT, f)));
  for (const file of files) {
    fs.mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, file), path.join(copy, file));
  }
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(copy, "node_modules"), "dir");
  return copy;
}

describe("npm run new-integration", function () {
  this.timeout(300_000);
  let copy: string;
  const bin = (name: string) => path.join(copy, "node_modules", ".bin", name);
  const mocha = (...files: string[]) => run(copy, bin("mocha"), ["--exit", ...files]);

  before(() => { copy = copyRepository(); });
  after(() => { if (copy) { fs.rmSync(copy, { recursive: true, force: true }); } });

  it("writes the class, icon, README, test, registry line and README row", async () => {
    const out = await run(copy, require.resolve("ts-node/dist/bin.js"),
      ["--transpile-only", "bin/new_integration.ts", "acme_crm", "--label", "Acme CRM"]);
    expect(out.code, out.output).to.equal(0);
    for (const file of ["src/integrations/acme_crm/acme_crm.ts", "src/integrations/acme_crm/acme_crm.svg",
      "src/integrations/acme_crm/README.md", "test/integrations/test_acme_crm.ts"]) {
      expect(fs.existsSync(path.join(copy, file)), file).to.equal(true);
    }
    const index = fs.readFileSync(path.join(copy, "src/integrations/index.ts"), "utf8");
    expect(index).to.include("import { AcmeCrmIntegration } from \"./acme_crm/acme_crm\";");
    expect(index).to.include("new AcmeCrmIntegration(http),");
    expect(fs.readFileSync(path.join(copy, "README.md"), "utf8")).to.include("| `acme_crm` | Acme CRM | query |");
  });

  it("leaves a copy whose type check, lint, generated test and contract test pass", async () => {
    const tsc = await run(copy, bin("tsc"), ["-p", "tsconfig.json", "--noEmit"]);
    expect(tsc.code, tsc.output).to.equal(0);
    const lint = await run(copy, bin("eslint"), ["."]);
    expect(lint.code, lint.output).to.equal(0);
    const tests = await mocha("test/integrations/test_acme_crm.ts", "test/integrations/test_contract.ts");
    expect(tests.code, tests.output).to.equal(0);
    expect(tests.output).to.match(/acme_crm integration/);
    expect(tests.output).to.match(/\d+ passing/);
  });

  it("makes the generated test fail once the placeholder vendor call is replaced", async () => {
    const file = path.join(copy, "src/integrations/acme_crm/acme_crm.ts");
    const source = fs.readFileSync(file, "utf8");
    const placeholder = "new URL(\"v1/placeholder/deliveries\", this.apiUrl)";
    expect(source).to.include(placeholder);
    fs.writeFileSync(file, source.replace(placeholder, "new URL(\"v2/contacts/import\", this.apiUrl)"));
    const tests = await mocha("test/integrations/test_acme_crm.ts");
    expect(tests.code).to.not.equal(0);
    expect(tests.output).to.include("/v2/contacts/import");
  });

  it("refuses names that are taken or not snake_case, and files it cannot edit", () => {
    expect(() => namesFor("Acme-CRM")).to.throw(/snake_case/);
    expect(() => generate(copy, namesFor("acme_crm"))).to.throw(/exists already/);
    expect(() => generate(copy, namesFor("segment_track"))).to.throw(/already named "segment_track"/);
    expect(() => registerIn("// nothing here\n", namesFor("x_y"))).to.throw(/by hand/);
    expect(() => readmeWithRow("# A README\n", namesFor("x_y"))).to.throw(/by hand/);
    expect(namesFor("acme_crm")).to.deep.equal({
      name: "acme_crm", className: "AcmeCrmIntegration", label: "Acme Crm",
    });
  });
});
