// `npm run new-integration` in a temporary copy of the repository (its files without
// node_modules, which is linked), once for each shape (message, rows, login); then, in the copy and
// with no other edit, each check in its own `it`:
// - the type check of the whole project (`tsc --noEmit`, every file): an edit to
//   src/integrations/index.ts can break anything;
// - ESLint over the TypeScript files the generator wrote or edited, as it lists them (each class,
//   test and settings file, and src/integrations/index.ts). Not over the others: they are the
//   repository's own, unchanged, and `npm test` lints them;
// - each generated test;
// - every suite-wide test file (each that calls allIntegrations(): the contract, Looker's payload
//   shapes, private addresses, the hardening matrices...), two at a time as `npm test` runs them,
//   with SUITE_WIDE_ONLY naming the three new integrations (test/helpers/suite_wide.ts): the costly
//   walks (Looker's payload shapes, broken vendors, log secrecy, the fault matrix) give cases to
//   the new integrations only, in hubs that still register every integration; every other file
//   runs as in `npm test`. Not run here: those walks over the existing integrations, which the
//   generator does not touch (`npm test` runs them).
// The type check, the lint and the generated tests run one after another while the suite-wide
// tests (mostly waiting on fakes and deadlines) run. Then each generated test fails once its
// placeholder vendor call is replaced. The rest of the suite does not look at the registry, so it
// is not run again here.
import { expect } from "chai";
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { generate, namesFor, readmeWithRow, registerIn } from "../../bin/new_integration";
import { Shape, SHAPES, TEMPLATES } from "../../bin/new_integration_templates";

const ROOT = path.join(__dirname, "..", "..");

interface Ran { code: number | null; output: string; }

function run(cwd: string, script: string, args: string[], env: Record<string, string> = {}): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      cwd, env: { PATH: process.env.PATH!, TS_NODE_PROJECT: path.join(cwd, "tsconfig.json"), ...env },
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
  const mocha = (args: string[], env: Record<string, string> = {}) => run(copy, bin("mocha"), ["--exit", ...args], env);
  // Names no contributor would pick, so a scaffold of CONTRIBUTING.md's own examples (acme_chat...)
  // lying in the working tree, copied with it, does not collide with this test's.
  const NAMES: Record<Shape, string> = { message: "scaffold_check_chat", rows: "scaffold_check_crm", login: "scaffold_check_drive" };
  const generatedTests = () => SHAPES.map((shape) => `test/integrations/test_${NAMES[shape]}.ts`);
  /** The TypeScript files the generator wrote or edited, as it listed them. */
  const written = new Set<string>();
  let checks: { tsc: Promise<Ran>; lint: Promise<Ran>; generated: Promise<Ran>; suiteWide: Promise<Ran> } | undefined;
  /**
   * The checks of the scaffolded copy, started once: the type check, the lint and the generated
   * tests one after another (they want the CPU), beside the suite-wide tests (they mostly wait).
   */
  const started = () => {
    if (!checks) {
      const tsc = run(copy, bin("tsc"), ["-p", "tsconfig.json", "--noEmit"]);
      const lint = tsc.then(() => run(copy, bin("eslint"), [...written]));
      const generated = lint.then(() => mocha(generatedTests()));
      // Two files at a time, as `npm test` runs them (.mocharc.js).
      const suiteWide = mocha(["--parallel", "--jobs", "2", ...suiteWideTests(copy)],
        { SUITE_WIDE_ONLY: SHAPES.map((shape) => NAMES[shape]).join(",") });
      checks = { tsc, lint, generated, suiteWide };
    }
    return checks;
  };
  /** Every check finished, so that no file is changed under one still running. */
  const settled = () => checks && Promise.allSettled(Object.values(checks));

  before(() => { copy = copyRepository(); });
  after(async () => {
    await settled();
    if (copy) { fs.rmSync(copy, { recursive: true, force: true }); }
  });

  it("writes the class, icon, README, test, settings, registry entry and README row for each shape", async () => {
    for (const shape of SHAPES) {
      const name = NAMES[shape];
      const out = await run(copy, require.resolve("ts-node/dist/bin.js"),
        ["--transpile-only", "bin/new_integration.ts", name, "--shape", shape, "--label", `Acme ${shape}`]);
      expect(out.code, out.output).to.equal(0);
      for (const line of out.output.split("\n")) {
        if (/^ {2}\S+\.ts$/.test(line)) { written.add(line.trim()); }
      }
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

  it("leaves a copy that type-checks as a whole", async () => {
    const tsc = await started().tsc;
    expect(tsc.code, tsc.output).to.equal(0);
  });

  it("leaves a copy whose written and edited files lint", async () => {
    expect([...written].sort()).to.include.members(["src/integrations/index.ts",
      ...SHAPES.flatMap((shape) => [`src/integrations/${NAMES[shape]}/${NAMES[shape]}.ts`,
        `test/integrations/test_${NAMES[shape]}.ts`, `test/integrations/${NAMES[shape]}_settings.ts`])]);
    const lint = await started().lint;
    expect(lint.code, lint.output).to.equal(0);
  });

  it("leaves a copy whose generated tests pass", async () => {
    const tests = await started().generated;
    expect(tests.code, tests.output.slice(-6000)).to.equal(0);
    for (const shape of SHAPES) { expect(tests.output).to.include(`${NAMES[shape]} integration`); }
    expect(tests.output).to.match(/\d+ passing/);
  });

  it("leaves a copy whose suite-wide tests pass over the new integrations", async () => {
    expect(suiteWideTests(copy)).to.include.members(["test/integrations/test_contract.ts",
      "test/integrations/test_looker_shapes.ts", "test/integrations/test_private_addresses.ts",
      "test/hardening/test_broken_vendors.ts", "test/hardening/test_log_secrecy.ts", "test/hardening/test_fault_matrix.ts"]);
    const tests = await started().suiteWide;
    expect(tests.code, tests.output.slice(-6000)).to.equal(0);
    expect(tests.output).to.match(/\d+ passing/);
    // test/helpers/suite_wide.ts read the names.
    expect(tests.output).to.include(`SUITE_WIDE_ONLY: the suite-wide tests walk ${SHAPES.map((s) => NAMES[s]).join(", ")} only.`);
  });

  for (const shape of SHAPES) {
    it(`makes the generated ${shape} test fail once the placeholder vendor call is replaced`, async () => {
      const name = NAMES[shape];
      const file = path.join(copy, `src/integrations/${name}/${name}.ts`);
      const source = fs.readFileSync(file, "utf8");
      const { find, replace, expected } = TEMPLATES[shape].placeholder;
      await settled();
      expect(source).to.include(find);
      fs.writeFileSync(file, source.replace(find, replace));
      try {
        const tests = await mocha([`test/integrations/test_${name}.ts`]);
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
