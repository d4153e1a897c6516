// The "official" part's machinery, without the official hub: the process tree it measures and
// the preload that keeps vendor names on loopback (bench/README.md, "Side by side").
import { expect } from "chai";
import { execFileSync, spawn } from "child_process";
import * as path from "path";
import { processTree } from "../../bench/other_hub";

describe("bench: another hub beside this one", () => {
  it("measures every process of a hub's tree, children of children included", async () => {
    const child = spawn("sh", ["-c", "sh -c 'sleep 30 & wait' & sleep 30 & wait"], { detached: true });
    try {
      let tree: number[] = [];
      for (let tries = 0; tries < 100 && tree.length < 4; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        tree = processTree(child.pid as number);
      }
      expect(tree[0]).to.equal(child.pid);
      expect(tree).to.have.length(4);
    } finally {
      process.kill(-(child.pid as number), "SIGKILL");
    }
  });

  it("resolves names under the listed domains to 127.0.0.1 without DNS, and leaves other names alone", () => {
    const script = `const dns = require("dns");
      dns.lookup("hooks.zapier.com", (e, a, f) => dns.lookup("x.ZAPIER.com.", { all: true }, (e2, all) =>
        dns.promises.lookup("zapier.com", { all: true, verbatim: true }).then((p) =>
          dns.lookup("localhost", { family: 4 }, (e3, local) =>
            console.log(JSON.stringify({ a, f, all, p, local }))))));`;
    const out = execFileSync(process.execPath, ["-e", script], { encoding: "utf8", env: { ...process.env,
      NODE_OPTIONS: `-r ${path.join(__dirname, "../../bench/loopback_names.cjs")}`, BENCH_LOOPBACK_DOMAINS: "zapier.com" } });
    const seen = JSON.parse(out);
    expect(seen.a).to.equal("127.0.0.1");
    expect(seen.f).to.equal(4);
    expect(seen.all).to.deep.equal([{ address: "127.0.0.1", family: 4 }]);
    expect(seen.p).to.deep.equal([{ address: "127.0.0.1", family: 4 }]);
    expect(seen.local).to.equal("127.0.0.1");
  });
});
