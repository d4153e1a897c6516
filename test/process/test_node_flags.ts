import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { HUB_MALLOC_ENV, HUB_NODE_FLAGS, withHubNodeFlags } from "../../src/process/node_flags";

const ROOT = path.join(__dirname, "../..");
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");

describe("the node flags the hub runs with", () => {
  it("are on every start command with the malloc settings: Procfile, Dockerfile and npm start", () => {
    const procfile = read("Procfile").split("\n").find((line) => line.startsWith("web:"))!;
    const start = JSON.parse(read("package.json")).scripts.start as string;
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(read("Dockerfile"))![1]) as string[];
    for (const flag of HUB_NODE_FLAGS) {
      expect(procfile.split(/\s+/), "Procfile").to.include(flag);
      expect(start.split(/\s+/), "npm start").to.include(flag);
      expect(cmd, "Dockerfile CMD").to.include(flag);
    }
    for (const [name, value] of Object.entries(HUB_MALLOC_ENV)) {
      const setting = `${name}=${value}`;
      expect(procfile.split(/\s+/), "Procfile").to.include(setting);
      expect(start.split(/\s+/), "npm start").to.include(setting);
      expect(/^ENV (.*)$/m.exec(read("Dockerfile"))![1].split(/\s+/), "Dockerfile ENV").to.include(setting);
    }
    expect(procfile).to.match(/ dist\/src\/boot\.js$/);
    expect(cmd[cmd.length - 1]).to.equal("dist/src/boot.js");
  });

  it("are added to a worker's flags, except an option already set by hand", () => {
    expect(withHubNodeFlags([])).to.deep.equal([...HUB_NODE_FLAGS]);
    expect(withHubNodeFlags(["--inspect"])).to.deep.equal(["--inspect", ...HUB_NODE_FLAGS]);
    expect(withHubNodeFlags(["--max-semi-space-size=32"]))
      .to.deep.equal(["--max-semi-space-size=32", ...HUB_NODE_FLAGS.filter((f) => !f.startsWith("--max-semi"))]);
    // A switch given either way by hand wins too, as does an option spelled with underscores.
    expect(withHubNodeFlags(["--concurrent-recompilation"]))
      .to.deep.equal(["--concurrent-recompilation", ...HUB_NODE_FLAGS.filter((f) => f !== "--no-concurrent-recompilation")]);
    expect(withHubNodeFlags(["--heap_growing_percent=50"]))
      .to.deep.equal(["--heap_growing_percent=50", ...HUB_NODE_FLAGS.filter((f) => !f.startsWith("--heap-growing"))]);
    expect(HUB_NODE_FLAGS).to.include("--heap-growing-percent=25");
    expect(HUB_NODE_FLAGS).to.include("--no-concurrent-recompilation");
    expect(HUB_NODE_FLAGS).to.include.members(
      ["--incremental-marking-soft-trigger=25", "--incremental-marking-hard-trigger=90"]);
  });

  it("make V8 compile hot functions on their own thread, not queued for helper threads", () => {
    // %IsConcurrentRecompilationSupported answers what the isolate was made with (node_flags.ts says why).
    const ask = (flags: readonly string[]) => spawnSync(process.execPath,
      [...flags, "--allow-natives-syntax", "-e", "console.log(%IsConcurrentRecompilationSupported())"],
      { encoding: "utf8", timeout: 20_000 }).stdout.trim();
    expect(ask(HUB_NODE_FLAGS)).to.equal("false");
    expect(ask([])).to.equal("true");
  });
});
