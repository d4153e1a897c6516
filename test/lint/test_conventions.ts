// The house's conventions as `npm run lint` checks them (eslint.config.js): only Error objects are
// thrown, no console, the environment read in src/config/index.ts alone, imports down the layers.
import { expect } from "chai";
import { ESLint } from "eslint";
import * as path from "path";

const ROOT = path.join(__dirname, "..", "..");

describe("lint: the house's conventions", function () {
  // The first lint builds the TypeScript program the type-aware rules read.
  this.timeout(60_000);
  const eslint = new ESLint({ cwd: ROOT });

  async function rules(code: string, filePath: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, filePath) });
    return result.messages.map((m) => m.ruleId ?? m.message);
  }

  it("refuses a thrown string, console and process.env in src/", async () => {
    const code = "export function f(): void {\n  console.log(process.env.HOME);\n  throw \"failed\";\n}\n";
    expect(await rules(code, "src/lib/logger.ts")).to.have.members([
      "no-console", "no-restricted-properties", "@typescript-eslint/only-throw-error",
    ]);
    expect(await rules("const { env } = process;\nexport const home = env.HOME;\n", "src/hub/registry.ts"))
      .to.deep.equal(["no-restricted-properties"]);
  });

  it("lets src/config/index.ts read the environment", async () => {
    expect(await rules("export const home = process.env.HOME;\n", "src/config/index.ts")).to.deep.equal([]);
  });

  it("accepts thrown Errors, and refuses an upward import", async () => {
    expect(await rules("export function f(): void { throw new TypeError(\"x\"); }\n", "src/lib/logger.ts"))
      .to.deep.equal([]);
    expect(await rules("import { Integration } from \"../hub/integration\";\nexport type I = Integration;\n",
      "src/lib/logger.ts")).to.deep.equal(["house/layer-imports"]);
  });

  it("keeps the style: double quotes, semicolons, 120 columns, trailing commas", async () => {
    const code = `export const a = 'x'\nexport const b = [\n  1,\n  2\n];\nexport const c = ${"1 + ".repeat(40)}1;\n`;
    expect(await rules(code, "src/lib/logger.ts")).to.have.members([
      "@stylistic/quotes", "@stylistic/semi", "@stylistic/comma-dangle", "@stylistic/max-len",
    ]);
  });
});
