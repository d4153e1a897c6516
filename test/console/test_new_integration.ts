// `npm run new-integration` in a temporary copy of the repository (its files without
// node_modules, which is linked), once for each shape (message, rows, login): the copy then type-
// checks and lints, each generated test passes, and so does every suite-wide test (every test file
// that walks the registry: the contract, Looker's payload shapes, private addresses, the hardening
// matrices...), with no other edit; each generated test fails once its placeholder vendor call is
// replaced. The rest of the suite does not look at the registry, so it is not run again here.
import { expect } from "chai";
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { generate, namesFor, readmeWithRow, registerIn } from "../../bin/new_integration";
import { Shape, SHAPES, TEMPLATES } from "../../bin/new_integration_templates";

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
  this.timeout(600_000);
  let copy: string;
  const bin = (name: string) => path.join(copy, "node_modules", ".bin", name);
  const mocha = (...files: string[]) => run(copy, bin("mocha"), ["--exit", ...files]);
  // Names no contributor would pick, so a scaffold of CONTRIBUTING.md's own examples (acme_chat...)
  // lying in the working tree, copied with it, does not collide with this test's.
  const NAMES: Record<Shape, string> = { message: "scaffold_check_chat", rows: "scaffold_check_crm", login: "scaffold_check_drive" };

  before(() => { copy = copyRepository(); });
  after(() => { if (copy) { fs.rmSync(copy, { recursive: true, force: true }); } });

  it("writes the class, icon, README, test, settings, registry entry and README row for each shape", async () => {
    for (const shape of SHAPES) {
      const name = NAMES[shape];
      const out = await run(copy, require.resolve("ts-node/dist/bin.js"),
        ["--transpile-only", "bin/new_integration.ts", name, "--shape", shape, "--label", `Acme ${shape}`]);
      expect(out.code, out.output).to.equal(0);
      for (const file of [`src/integrations/${name}/${name}.ts`, `src/integrations/${name}/${name}.svg`,
        `src/integrations/${name}/README.md`, `test/integrations/test_${name}.ts`, `test/integrations/${name}_settings.ts`]) {
        expect(fs.existsSync(path.join(copy, file)), file).to.equal(true);
      }
      const source = fs.readFileSync(path.join(copy, `src/integrations/${name}/${name}.ts`), "utf8");
      // No template skips the private-address guard.
      expect(source).to.not.match(/trusted:\s*true/);
      expect(fs.readFileSync(path.join(copy, "README.md"), "utf8")).to.include(`| \`${name}\` | Acme ${shape} |`);
    }
    const index = fs.readFileSync(path.join(copy, "src/integrations/index.ts"), "utf8");
    expect(index).to.include("import { ScaffoldCheckChatIntegration } from \"./scaffold_check_chat/scaffold_check_chat\";");
    expect(index).to.include("new ScaffoldCheckChatIntegration(http),");
    expect(index).to.include("new ScaffoldCheckCrmIntegration(http, scaffoldCheckCrmSettings(config)),");
    expect(index).to.include("new ScaffoldCheckDriveIntegration(http, scaffoldCheckDriveSettings(config)),");
  });

  it("leaves a copy whose type check, lint, generated tests and every suite-wide test pass", async () => {
    const tsc = await run(copy, bin("tsc"), ["-p", "tsconfig.json", "--noEmit"]);
    expect(tsc.code, tsc.output).to.equal(0);
    const lint = await run(copy, bin("eslint"), ["."]);
    expect(lint.code, lint.output).to.equal(0);
    const suiteWide = suiteWideTests(copy);
    expect(suiteWide).to.include.members(["test/integrations/test_contract.ts",
      "test/integrations/test_looker_shapes.ts", "test/integrations/test_private_addresses.ts",
      "test/hardening/test_broken_vendors.ts", "test/hardening/test_log_secrecy.ts"]);
    const generated = SHAPES.map((shape) => `test/integrations/test_${NAMES[shape]}.ts`);
    const tests = await mocha(...generated, ...suiteWide);
    expect(tests.code, tests.output.slice(-6000)).to.equal(0);
    for (const shape of SHAPES) { expect(tests.output).to.include(`${NAMES[shape]} integration`); }
    expect(tests.output).to.match(/\d+ passing/);
  });

  for (const shape of SHAPES) {
    it(`makes the generated ${shape} test fail once the placeholder vendor call is replaced`, async () => {
      const name = NAMES[shape];
      const file = path.join(copy, `src/integrations/${name}/${name}.ts`);
      const source = fs.readFileSync(file, "utf8");
      const { find, replace, expected } = TEMPLATES[shape].placeholder;
      expect(source).to.include(find);
      fs.writeFileSync(file, source.replace(find, replace));
      try {
        const tests = await mocha(`test/integrations/test_${name}.ts`);
        expect(tests.code).to.not.equal(0);
        expect(tests.output).to.include(expected);
      } finally {
        fs.writeFileSync(file, source);
      }
    });
  }

  it("refuses names that are taken or not snake_case, shapes it has no template for, and files it cannot edit", () => {
    expect(() => namesFor("Acme-CRM")).to.throw(/snake_case/);
    expect(() => generate(copy, namesFor(NAMES.message))).to.throw(/exists already/);
    expect(() => generate(copy, namesFor("segment_track"))).to.throw(/already named "segment_track"/);
    expect(() => registerIn("// nothing here\n", namesFor("x_y"))).to.throw(/by hand/);
    expect(() => readmeWithRow("# A README\n", namesFor("x_y"))).to.throw(/by hand/);
    expect(namesFor("acme_crm")).to.deep.equal({
      name: "acme_crm", className: "AcmeCrmIntegration", label: "Acme Crm",
    });
  });
});

/** Test files that walk the registry (they call allIntegrations): what a new integration must pass. */
function suiteWideTests(root: string): string[] {
  const files = fs.readdirSync(path.join(root, "test"), { recursive: true, encoding: "utf8" })
    .map((f) => path.join("test", f).split(path.sep).join("/"))
    .filter((f) => /(^|\/)test_[^/]+\.ts$/.test(f) && !f.endsWith("test_new_integration.ts"));
  return files.filter((f) => /\ballIntegrations\(/.test(fs.readFileSync(path.join(root, f), "utf8"))).sort();
}
