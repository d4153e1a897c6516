// `npm run new-integration -- <name> [--shape message|rows|login] [--label "Label"]`: starts a new
// integration from green. Writes src/integrations/<name>/ (the class with placeholder declarations
// and one placeholder vendor call, an icon, a README), test/integrations/test_<name>.ts (through
// the real app against a fake vendor; it passes as written and fails once the placeholder call is
// replaced), test/integrations/<name>_settings.ts (what the suite-wide tests need, found there),
// the entry in src/integrations/index.ts and a row in README.md. `npm test` is then green.
import * as fs from "fs";
import * as path from "path";
import { iconSvg, Names, Shape, SHAPES, TEMPLATES, wrapComments } from "./new_integration_templates";

class GeneratorError extends Error {}

const ROOT = path.resolve(__dirname, "..");

export function namesFor(name: string, label?: string): Names {
  if (!/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/.test(name) || name.length > 40) {
    throw new GeneratorError(`"${name}" is not a snake_case name such as acme_crm (lower case letters, digits, _).`);
  }
  const words = name.split("_");
  return {
    name,
    className: `${words.map((w) => w[0].toUpperCase() + w.slice(1)).join("")}Integration`,
    label: (label ?? words.map((w) => w[0].toUpperCase() + w.slice(1)).join(" ")).replace(/["\\`$<>]/g, ""),
  };
}

/** The line of src/integrations/index.ts's list above which new integrations go. */
export const LIST_MARKER = "// New integrations go above this line";

/** Adds the import after the last import and the entry above the list's marker line. */
export function registerIn(index: string, n: Names, shape: Shape = "message"): string {
  const imports = [...index.matchAll(/^import .*;$/gm)];
  const marker = index.indexOf(LIST_MARKER);
  if (!imports.length || marker < 0) {
    throw new GeneratorError(`src/integrations/index.ts has no import lines or no "${LIST_MARKER}" line: ` +
      "add the entry by hand.");
  }
  const { imports: line, entry } = TEMPLATES[shape].registration(n);
  const last = imports[imports.length - 1];
  const at = last.index! + last[0].length;
  const withImport = `${index.slice(0, at)}\n${line}${index.slice(at)}`;
  const markerAt = withImport.indexOf(LIST_MARKER);
  const lineStart = withImport.lastIndexOf("\n", markerAt) + 1;
  const indent = withImport.slice(lineStart, markerAt);
  return `${withImport.slice(0, lineStart)}${indent}${entry}\n${withImport.slice(lineStart)}`;
}

/** Adds a row to the integrations table under README's "## Integrations" (before `debug`'s row). */
export function readmeWithRow(readme: string, n: Names): string {
  const lines = readme.split("\n");
  const heading = lines.findIndex((l) => l.trim() === "## Integrations");
  if (heading < 0) { throw new GeneratorError("README.md has no \"## Integrations\" section: add the row by hand."); }
  let first = heading + 1;
  while (first < lines.length && !lines[first].startsWith("|")) { first++; }
  let end = first;
  while (end < lines.length && lines[end].startsWith("|")) { end++; }
  const debugRow = lines.slice(first, end).findIndex((l) => l.startsWith("| `debug`"));
  const at = debugRow >= 0 ? first + debugRow : end;
  const row = `| \`${n.name}\` | ${n.label} | query | [${n.name}](src/integrations/${n.name}/README.md) |`;
  lines.splice(at, 0, row);
  return lines.join("\n");
}

export function generate(root: string, n: Names, shape: Shape = "message"): string[] {
  const template = TEMPLATES[shape];
  const folder = path.join(root, "src", "integrations", n.name);
  const testFile = path.join(root, "test", "integrations", `test_${n.name}.ts`);
  const settingsFile = path.join(root, "test", "integrations", `${n.name}_settings.ts`);
  if (fs.existsSync(folder) || fs.existsSync(testFile) || fs.existsSync(settingsFile)) {
    throw new GeneratorError(`An integration folder or test named ${n.name} exists already; choose another name.`);
  }
  const taken = fs.readdirSync(path.join(root, "src", "integrations"), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts"))
    .some((f) => fs.readFileSync(path.join(root, "src", "integrations", f), "utf8").includes(`name = "${n.name}"`));
  if (taken) { throw new GeneratorError(`An integration is already named "${n.name}"; choose another name.`); }
  const indexFile = path.join(root, "src", "integrations", "index.ts");
  const readmeFile = path.join(root, "README.md");
  const index = registerIn(fs.readFileSync(indexFile, "utf8"), n, shape);
  const readme = readmeWithRow(fs.readFileSync(readmeFile, "utf8"), n);
  fs.mkdirSync(folder, { recursive: true });
  const written: Array<[string, string]> = [
    [path.join(folder, `${n.name}.ts`), template.integration(n)],
    [path.join(folder, `${n.name}.svg`), iconSvg(n)],
    [path.join(folder, "README.md"), template.readme(n)],
    [testFile, template.test(n)],
    [settingsFile, template.settings(n)],
    [indexFile, index],
    [readmeFile, readme],
  ];
  for (const [file, text] of written) { fs.writeFileSync(file, file.endsWith(".ts") ? wrapComments(text) : text); }
  return written.map(([file]) => path.relative(root, file));
}

/** The value of `--option value`, and the arguments without the pair. */
function option(argv: string[], name: string): [string | undefined, string[]] {
  const at = argv.indexOf(name);
  if (at < 0) { return [undefined, argv]; }
  return [argv[at + 1], argv.filter((_a, i) => i !== at && i !== at + 1)];
}

function usage(): string {
  return "Usage: npm run new-integration -- <snake_case_name> [--shape message|rows|login] [--label \"Label\"]\n" +
    SHAPES.map((s) => `  --shape ${s.padEnd(8)} ${TEMPLATES[s].summary}\n`).join("");
}

function run(argv: string[]): number {
  const [label, withoutLabel] = option(argv, "--label");
  const [shapeName, rest] = option(withoutLabel, "--shape");
  const shape = (shapeName ?? "message") as Shape;
  if (rest.length !== 1 || rest[0].startsWith("-") || !SHAPES.includes(shape)) {
    process.stderr.write(usage());
    return 2;
  }
  try {
    const n = namesFor(rest[0], label);
    const files = generate(ROOT, n, shape);
    process.stdout.write(`Wrote ${n.label} (${n.name}):\n${files.map((f) => `  ${f}`).join("\n")}\n\n` +
      `Next: npx mocha test/integrations/test_${n.name}.ts passes as it is, and so does npm test. Replace each ` +
      "PLACEHOLDER and the placeholder vendor call, make the test's fake speak the vendor's API, and keep it " +
      "green (CONTRIBUTING.md).\n");
    return 0;
  } catch (err) {
    if (!(err instanceof GeneratorError)) { throw err; }
    process.stderr.write(`${err.message}\n`);
    return 1;
  }
}

if (require.main === module) { process.exitCode = run(process.argv.slice(2)); }
