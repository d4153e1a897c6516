// POLICY_FILE is read and checked at start: a mistake stops the start with the line and the reason.
import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { policySetting } from "../../src/config/policy";
import { DeliveryPolicy } from "../../src/hub/policy";

function file(text: string): string {
  const name = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "policy-")), "policy.json");
  fs.writeFileSync(name, text);
  return name;
}

function refusal(text: string): string {
  const name = file(text);
  try {
    policySetting(name);
  } catch (err) {
    return (err as Error).message.replace(name, "F");
  }
  throw new Error("accepted");
}

describe("POLICY_FILE", () => {
  it("reads the issue's example: rules with their place and line", () => {
    const policy = policySetting(file(`{
  "fields":    [ { "tag": "pii",   "integrations": ["webhook", "slack"], "action": "refuse" },
                 { "tag": "email", "integrations": ["zapier"],           "action": "drop" } ],
  "users":     [ { "integrations": ["google_cloud_storage"], "user_attribute": "can_export", "allow": ["yes"] } ],
  "instances": [ { "instance": "looker-a.example.com", "integrations": ["slack", "segment_track"] } ]
}`))!;
    expect(policy.fields.map((r) => [r.id, r.line, r.tag, r.action, r.withoutTags])).to.deep.equal([
      ["fields[0]", 2, "pii", "refuse", "refuse"], ["fields[1]", 3, "email", "drop", "refuse"]]);
    expect(policy.users[0]).to.deep.include({ id: "users[0]", line: 4, userAttribute: "can_export", allow: ["yes"] });
    expect(policy.instances[0]).to.deep.include({ id: "instances[0]", line: 5, instance: "looker-a.example.com" });
  });

  it("is optional: no POLICY_FILE, no policy", () => {
    expect(policySetting(undefined)).to.equal(undefined);
  });

  it("names the line and the reason of each mistake", () => {
    expect(refusal("{\n  \"fields\": [\n    {\"tag\": \"pii\", \"integrations\": [\"slack\"], \"action\": \"delete\"}\n  ]\n}"))
      .to.equal("POLICY_FILE F: line 3: action \"delete\" is not one of refuse, drop, hash.");
    expect(refusal("{\n  \"fields\": [\n    {\"tag\": \"pii\", \"integrations\": [\"slack\"],\n     \"action\": \"drop\",}\n]}"))
      .to.equal("POLICY_FILE F: line 4: a key in double quotes expected");
    expect(refusal("{\"users\": [{\"integrations\": [\"slack\"],\n \"user_attribute\": \"Can Export\", \"allow\": [\"yes\"]}]}"))
      .to.match(/^POLICY_FILE F: line 2: "Can Export" is not a Looker user attribute name/);
    expect(refusal("{\"instances\": [{\"instance\": \"a\"}]}"))
      .to.equal("POLICY_FILE F: line 1: \"integrations\" is missing.");
    expect(refusal("{\n\"feilds\": []}")).to.equal("POLICY_FILE F: line 2: unknown key \"feilds\"; a rule here takes " +
      "fields, users, instances.");
    expect(refusal("{\"fields\": [{\"tag\": \"x\", \"integrations\": [], \"action\": \"drop\"}]}"))
      .to.equal("POLICY_FILE F: line 1: a non-empty list of strings expected.");
    expect(refusal("{\"fields\": [{\"tag\": \"x\", \"integrations\": [\"a\"], \"action\": \"drop\", \"without_tags\": \"maybe\"}]}"))
      .to.equal("POLICY_FILE F: line 1: without_tags \"maybe\" is not refuse or allow.");
    expect(refusal("{\"fields\": {}}")).to.equal("POLICY_FILE F: line 1: a list of rules expected.");
    expect(refusal("{\"fields\": [], \"fields\": []}")).to.equal("POLICY_FILE F: line 1: \"fields\" appears twice");
    expect(refusal("")).to.equal("POLICY_FILE F: line 1: the file ends where a value is expected");
    expect(refusal("[".repeat(100))).to.match(/nest more than 32 levels/);
  });

  it("says when the file cannot be read", () => {
    expect(() => policySetting("/nonexistent/policy.json")).to.throw(
      "POLICY_FILE /nonexistent/policy.json cannot be read (ENOENT)");
  });

  it("refuses a rule naming an integration the hub does not have", () => {
    const policy = policySetting(file("{\"fields\": [\n{\"tag\": \"pii\", \"integrations\": [\"slak\"], \"action\": \"drop\"}]}"))!;
    expect(() => new DeliveryPolicy(policy, ["slack", "webhook"])).to.throw(/line 2: fields\[0\] names "slak", which is no integration/);
  });

  it("stops the hub's start with that one line", function () {
    this.timeout(60_000);
    const bad = file("{\"fields\": [{\"tag\": \"pii\", \"integrations\": [\"slak\"], \"action\": \"drop\"}]}");
    const root = path.join(__dirname, "..", "..");
    let stderr = "";
    let status = 0;
    try {
      execFileSync(process.execPath, ["-r", "ts-node/register/transpile-only", "src/boot.ts"], {
        cwd: root, stdio: "pipe", timeout: 50_000,
        env: { PATH: process.env.PATH!, NODE_ENV: "production", INTEGRATION_SERVICE_SECRET: "x".repeat(64),
          BASE_URL: "https://hub.example.test", POLICY_FILE: bad, PORT: "0", HOST: "127.0.0.1" },
      });
    } catch (err) {
      stderr = String((err as { stderr: Buffer }).stderr);
      status = (err as { status: number }).status;
    }
    expect(status).to.equal(1);
    expect(stderr.trim()).to.equal(`POLICY_FILE ${bad}: line 1: fields[0] names "slak", which is no integration of ` +
      "this hub (the names are those of GET / and the README's list).");
  });
});
