// `npm run dev` as a process: a port already in use stops it with one line, at once.
import { expect } from "chai";
import { spawn } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";

const ROOT = path.join(__dirname, "..");

describe("npm run dev", function() {
  this.timeout(60_000);

  it("stops with one line when the port is already in use, instead of waiting", async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const port = (taken.address() as net.AddressInfo).port;
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "hub-dev-"));
    // What `npm run dev` runs (package.json), from a folder without a .env.
    const child = spawn(process.execPath, ["-r", require.resolve("ts-node/register/transpile-only"),
      path.join(ROOT, "bin/dev.ts")], { cwd, env: { PATH: process.env.PATH!, PORT: String(port),
      TS_NODE_PROJECT: path.join(ROOT, "tsconfig.json") } });
    let out = "";
    let err = "";
    child.stdout.on("data", (c) => { out += c; });
    child.stderr.on("data", (c) => { err += c; });
    try {
      const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
      expect(code).to.equal(1);
      const lines = err.trim().split("\n");
      expect(lines, err).to.have.length(1);
      expect(lines[0]).to.equal(`Port ${port} on 127.0.0.1 is already in use (another hub or \`npm run dev\`?): ` +
        `stop it, or run on another port, e.g. PORT=${port + 1} npm run dev.`);
      expect(out).to.equal("");
    } finally {
      child.kill("SIGKILL");
      taken.close();
      fs.rmSync(cwd, { recursive: true, force: true });
    }
  });
});
