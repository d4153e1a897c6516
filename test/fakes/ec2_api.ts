// EC2's query API as StopInstances uses it: POST / with a form body (Action=StopInstances,
// Version=2016-11-15, InstanceId.N), signed with AWS Signature Version 4, answered in EC2's XML.
// The signature is checked here independently of the SDK (canonical request, string to sign,
// derived key), so a request that is not correctly signed for the key, region and service fails
// as it would at AWS (SignatureDoesNotMatch / AuthFailure).
import * as crypto from "crypto";
import { HttpReceiver, Received, Reply } from "./http_receiver";

export const AWS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";
export const AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

export type InstanceState = "pending" | "running" | "stopping" | "stopped" | "terminated";
const STATE_CODES: Record<InstanceState, number> = {
  pending: 0, running: 16, stopping: 64, stopped: 80, terminated: 48,
};

const sha256 = (data: string | Buffer) => crypto.createHash("sha256").update(data).digest("hex");
const hmac = (key: Buffer | string, data: string) => crypto.createHmac("sha256", key).update(data).digest();

export interface SignatureCheck {
  ok: boolean;
  reason?: string;
  region?: string;
  service?: string;
}

/** Verifies an AWS SigV4 Authorization header for `secret`, as AWS does. */
export function verifySigV4(r: Received, secret: string, keyId: string): SignatureCheck {
  const auth = String(r.headers.authorization ?? "");
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/
    .exec(auth);
  if (!m) { return { ok: false, reason: "no SigV4 Authorization header" }; }
  const [, id, date, region, service, signedHeaders, signature] = m;
  if (id !== keyId) { return { ok: false, reason: "unknown key" }; }
  const amzDate = String(r.headers["x-amz-date"] ?? "");
  if (!amzDate.startsWith(date)) { return { ok: false, reason: "X-Amz-Date does not match the credential scope" }; }
  const names = signedHeaders.split(";");
  if (!names.includes("host") || !names.includes("x-amz-date")) {
    return { ok: false, reason: "host or date unsigned" };
  }
  const [path, query = ""] = r.path.split("?");
  const canonicalQuery = query.split("&").filter(Boolean).sort().join("&");
  const canonicalHeaders = names
    .map((n) => `${n}:${String(r.headers[n] ?? "").trim().replace(/\s+/g, " ")}\n`).join("");
  const canonical = [r.method, path || "/", canonicalQuery, canonicalHeaders, signedHeaders, sha256(r.body)].join("\n");
  const scope = `${date}/${region}/${service}/aws4_request`;
  const toSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonical)].join("\n");
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), "aws4_request");
  const expected = hmac(key, toSign).toString("hex");
  return expected === signature ? { ok: true, region, service } : { ok: false, reason: "signature mismatch" };
}

export class Ec2Fake extends HttpReceiver {
  readonly instances = new Map<string, InstanceState>([
    ["i-0abc1234def567890", "running"], ["i-0abc1234def567891", "running"], ["i-0abc1234def567892", "stopped"],
    ["i-0abc1234def567893", "terminated"],
  ]);
  /** Instances the key may not stop (an IAM condition). */
  readonly forbidden = new Set<string>();
  /** Every StopInstances request's form, once its signature checked out. */
  readonly calls: Array<Record<string, string>> = [];
  region = "us-east-1";

  constructor() {
    super();
    this.handler = (r) => this.route(r);
  }

  private route(r: Received): Reply {
    const check = verifySigV4(r, AWS_SECRET, AWS_KEY_ID);
    if (!check.ok) {
      return check.reason === "unknown key"
        ? xmlError(401, "AuthFailure", "AWS was not able to validate the provided access credentials")
        : xmlError(403, "SignatureDoesNotMatch",
          `The request signature we calculated does not match (${check.reason}).`);
    }
    if (check.service !== "ec2" || check.region !== this.region) {
      return xmlError(401, "AuthFailure", `Credential should be scoped to a valid region and service ec2.`);
    }
    if (r.method !== "POST" || r.path !== "/" || !/^application\/x-www-form-urlencoded/.test(String(r.headers["content-type"]))) {
      return xmlError(400, "InvalidAction", "The action or operation requested is not valid.");
    }
    const form = Object.fromEntries(new URLSearchParams(r.body.toString("utf8")));
    if (form.Action !== "StopInstances" || form.Version !== "2016-11-15") {
      return xmlError(400, "InvalidAction", `The action ${form.Action} is not valid for this web service.`);
    }
    this.calls.push(form);
    const ids = Object.keys(form).filter((k) => /^InstanceId\.\d+$/.test(k)).map((k) => form[k]);
    const missing = ids.filter((id) => !this.instances.has(id));
    if (missing.length) {
      return xmlError(400, "InvalidInstanceID.NotFound", `The instance ID '${missing.join("', '")}' does not exist`);
    }
    const denied = ids.filter((id) => this.forbidden.has(id));
    if (denied.length) { return xmlError(403, "UnauthorizedOperation", "You are not authorized to perform this operation."); }
    // DryRun: the call is checked and nothing is stopped; EC2 answers DryRunOperation when it would have succeeded.
    if (form.DryRun === "true") {
      return xmlError(412, "DryRunOperation", "Request would have succeeded, but DryRun flag is set.");
    }
    const terminated = ids.filter((id) => this.instances.get(id) === "terminated");
    if (terminated.length) {
      return xmlError(400, "IncorrectInstanceState",
        `This instance '${terminated[0]}' is not in a state from which it can be stopped.`);
    }
    const items = ids.map((id) => {
      const was = this.instances.get(id)!;
      const now: InstanceState = was === "stopped" ? "stopped" : "stopping";
      this.instances.set(id, now);
      return `<item><instanceId>${id}</instanceId><currentState><code>${STATE_CODES[now]}</code><name>${now}</name>` +
        `</currentState><previousState><code>${STATE_CODES[was]}</code><name>${was}</name></previousState></item>`;
    }).join("");
    return { status: 200, headers: { "content-type": "text/xml;charset=UTF-8" }, body:
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" +
      "<StopInstancesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">" +
      `<requestId>${crypto.randomUUID()}</requestId><instancesSet>${items}</instancesSet></StopInstancesResponse>` };
  }

  /** Instance IDs asked to stop, in order of arrival. */
  get stopped(): string[] {
    return this.calls.flatMap((f) => Object.keys(f).filter((k) => k.startsWith("InstanceId.")).map((k) => f[k]));
  }
}

export function xmlError(status: number, code: string, message: string): Reply {
  return { status, headers: { "content-type": "text/xml;charset=UTF-8" }, body:
    `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code><Message>${message}` +
    `</Message></Error></Errors><RequestID>${crypto.randomUUID()}</RequestID></Response>` };
}
