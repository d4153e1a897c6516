import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { nodeArgs } from "./helpers/compiled";
import { isValidApiKey } from "../src/server/auth";

const ROOT = path.join(__dirname, "..");

function run(env: Record<string, string>) {
  // An empty working directory, so a developer's own .env does not leak in.
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "hub-cli-"));
  try {
    return spawnSync(process.execPath, nodeArgs("bin/generate-api-key.ts").args, {
      cwd, encoding: "utf8",
      env: { PATH: process.env.PATH!, TS_NODE_PROJECT: path.join(ROOT, "tsconfig.json"), ...env },
      timeout: 60_000,
    });
  } finally {
    fs.rmSync(cwd, { recursive: true, force: true });
  }
}

describe("generate-api-key", () => {
  it("prints a key valid for the configured secret and says how long it stays valid", () => {
    const secret = "cli-secret-0123456789abcdef";
    const out = run({ INTEGRATION_SERVICE_SECRET: secret });
    expect(out.status).to.equal(0);
    const key = out.stdout.trim();
    expect(isValidApiKey(secret, key)).to.equal(true);
    expect(out.stderr).to.include("valid until INTEGRATION_SERVICE_SECRET changes");
  });

  it("accepts ACTION_HUB_SECRET", () => {
    const out = run({ ACTION_HUB_SECRET: "official-secret-0123456789" });
    expect(out.status).to.equal(0);
    expect(isValidApiKey("official-secret-0123456789", out.stdout.trim())).to.equal(true);
  });

  it("needs only the secret where the hub runs (NODE_ENV=production, no BASE_URL: Docker, Heroku, Kubernetes)", () => {
    const secret = "production-secret-0123456789abcdef";
    const out = run({ NODE_ENV: "production", INTEGRATION_SERVICE_SECRET: secret });
    expect(out.stderr).to.not.include("BASE_URL");
    expect(out.status).to.equal(0);
    expect(isValidApiKey(secret, out.stdout.trim())).to.equal(true);
  });

  it("refuses a placeholder secret in production, as the hub does", () => {
    const out = run({ NODE_ENV: "production", INTEGRATION_SERVICE_SECRET: "changeme" });
    expect(out.status).to.equal(1);
    expect(out.stdout).to.equal("");
  });

  it("refuses to print a key when no secret is configured", () => {
    const out = run({});
    expect(out.status).to.equal(1);
    expect(out.stdout).to.equal("");
    expect(out.stderr).to.include("INTEGRATION_SERVICE_SECRET is not set");
  });
});
