// One StopInstances call per instance through @aws-sdk/client-ec2, bounded by the hub's
// outbound HTTP settings, and EC2's error codes as reasons a person can act on.
import type { EC2Client } from "@aws-sdk/client-ec2";
import { HttpSettings } from "../../config";
import { Attempt } from "../../hub/target_outcomes";
import { awsClientOptions } from "../../lib/aws_client_options";

export interface Ec2Options {
  http: HttpSettings;
  /** AWS_EC2_ENDPOINT: replaces the region's public endpoint (VPC endpoints, tests). */
  endpoint?: string;
}

export interface Ec2Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** A StopInstances answer is a few hundred bytes; a longer one is cut instead of read without end. */
const MAX_ANSWER_BYTES = 1024 * 1024;

/** AWS's SDK, loaded on first use: it is large, and a hub that never stops an instance should not pay for it. */
let sdk: Promise<typeof import("@aws-sdk/client-ec2")> | undefined;

/**
 * A client for one delivery: the credentials are the request's, never the process's; timeouts,
 * retries (throttling, 5xx, network errors) and the answer cap are the hub's (aws_client_options.ts).
 */
export async function ec2Client(options: Ec2Options, region: string, credentials: Ec2Credentials)
  : Promise<EC2Client> {
  const ec2 = await (sdk = sdk ?? import("@aws-sdk/client-ec2"));
  return new ec2.EC2Client({
    region, credentials, endpoint: options.endpoint, ...await awsClientOptions(options.http, MAX_ANSWER_BYTES),
  });
}

const STOP_ALL = new Set([
  "AuthFailure", "InvalidClientTokenId", "SignatureDoesNotMatch", "UnrecognizedClientException",
  "OptInRequired", "Blocked", "PendingVerification",
]);

/** EC2's error as a reason; `stopAll` when it is about the credentials or account, not the instance. */
export function ec2Reason(err: unknown, region: string): { detail: string; stopAll?: boolean } {
  const e = err as {
    name?: string; Code?: string; message?: string; code?: string; $fault?: string;
    $metadata?: { httpStatusCode?: number };
  };
  const code = e.Code ?? e.name ?? "";
  const said = String(e.message ?? "").replace(/\.$/, "").slice(0, 200);
  if (STOP_ALL.has(code)) {
    return { stopAll: true, detail: code === "OptInRequired" || code === "Blocked" || code === "PendingVerification"
      ? `AWS will not act for this account in ${region} (${code}${said ? `: ${said}` : ""}); check the account`
      : `AWS refused the access key (${code}); ask your Looker admin to check the Access Key ID and ` +
        "Secret Access Key" };
  }
  switch (code) {
    case "InvalidInstanceID.NotFound": return { detail: `no such instance in ${region}` };
    case "InvalidInstanceID.Malformed": return { detail: "not an EC2 instance ID" };
    case "IncorrectInstanceState": return { detail: `it cannot be stopped in its current state${said ? ` (${said})` : ""}` };
    case "UnsupportedOperation": return { detail: said || "EC2 cannot stop this kind of instance" };
    case "UnauthorizedOperation":
      return { detail: "the access key is not allowed to stop it (ec2:StopInstances); ask your Looker admin" };
    case "RequestLimitExceeded": case "Throttling": case "ThrottlingException":
      return { detail: "AWS's request rate limit was reached; try again in a minute" };
  }
  if (["ENOTFOUND", "EAI_AGAIN", "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT"].includes(e.code ?? "") ||
      code === "TimeoutError" || code === "RequestTimeout") {
    return { detail: `AWS EC2 in ${region} could not be reached; check the region and try again later` };
  }
  const status = e.$metadata?.httpStatusCode;
  if (status && status >= 500) { return { detail: "AWS EC2 did not answer; try again later" }; }
  if (!e.$fault) {
    // Not an EC2 error: an answer the SDK could not read (a proxy's page, a wrong AWS_EC2_ENDPOINT).
    return { detail: "AWS EC2 gave an answer the hub could not read; check AWS_EC2_ENDPOINT if the hub's admin set " +
      "it, and try again later" };
  }
  return { detail: `AWS answered ${code || "an error"}${said ? `: ${said}` : ""}; check the instance and try again` };
}

/**
 * Asks EC2 to stop one instance: the outcome names the state it was in and the one it is in now.
 * With `dryRun`, EC2's own DryRun flag: EC2 checks the call and stops nothing, answering
 * DryRunOperation when the key may stop the instance (a dry run's outcome, docs/dry_run.md).
 */
export async function stopInstance(client: EC2Client, id: string, region: string, dryRun = false): Promise<Attempt> {
  try {
    const ec2 = await sdk!;
    const answer = await client.send(new ec2.StopInstancesCommand({ InstanceIds: [id],
      ...(dryRun ? { DryRun: true } : {}) }));
    const change = answer.StoppingInstances?.find((s) => s.InstanceId === id);
    if (!change) {
      return { target: id, ok: false, detail: "AWS EC2 did not confirm the stop; check the instance and try again" };
    }
    const was = change.PreviousState?.Name;
    const now = change.CurrentState?.Name;
    const detail = was && now && was !== now ? `was ${was}, now ${now}` : was ? `was already ${was}` : undefined;
    return { target: id, ok: true, detail };
  } catch (err) {
    const code = (err as { Code?: string; name?: string }).Code ?? (err as { name?: string }).name;
    if (dryRun && code === "DryRunOperation") { return { target: id, ok: true, detail: "the key may stop it" }; }
    return { target: id, ok: false, ...ec2Reason(err, region) };
  }
}
