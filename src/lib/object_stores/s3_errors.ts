// An S3 (or S3-compatible store's) failure as a sentence for the person who set up the schedule:
// the permission a refusal needs, the bucket setting to check, network and TLS faults in the
// words of network_errors.ts, and what is worth trying again.
import { S3ServiceException } from "@aws-sdk/client-s3";
import { RetryableError, UserError } from "../errors";
import { networkProblem } from "./store_errors";

export interface ProblemContext {
  who?: string;
  action: "list" | "write" | "read";
  /** The IAM permission the action needs, named in the message. */
  permission: string;
  /** The setting that names the bucket: messages say "the bucket named in ..." (a failure's message is logged). */
  bucketSetting?: string;
}

function capitalized(text: string): string { return text.charAt(0).toUpperCase() + text.slice(1); }

/** An S3 failure as a sentence for the person who set up the schedule. */
export function s3Problem(err: unknown, ctx: ProblemContext): UserError {
  if (err instanceof UserError) { return err; }
  const who = ctx.who ?? "Amazon S3";
  const e = err as S3ServiceException & { code?: string; Code?: string };
  const tooLarge = [e?.code, (e as { cause?: { code?: string } })?.cause?.code].includes("AnswerTooLarge");
  const code = tooLarge ? "AnswerTooLarge" : String(e?.name ?? e?.Code ?? "");
  const status = e?.$metadata?.httpStatusCode;
  const bucket = ctx.bucketSetting ? `the bucket named in "${ctx.bucketSetting}"` : "the bucket";
  const network = networkProblem(err, who);
  if (network) { return network; }
  switch (code) {
    case "InvalidAccessKeyId":
      return new UserError(`${who} does not know the access key ID. Check the "Access Key" setting ` +
        "(it may have been deleted or deactivated).");
    case "SignatureDoesNotMatch":
      return new UserError(`${who} refused the secret access key: the signature does not match. ` +
        "Check the \"Secret Key\" setting; it must belong to the access key ID.");
    case "RequestTimeTooSkewed":
      return new UserError(`${who} refused the request because this server's clock is off by more than 15 minutes. ` +
        "Ask the hub's admin to sync the clock (NTP).");
    case "NoSuchBucket":
      return new UserError(`${capitalized(bucket)} does not exist in ${who}. Pick an existing bucket, or create it.`);
    case "AccessDenied":
    case "AllAccessDisabled": {
      const also = ctx.action === "write" ? " (and s3:AbortMultipartUpload for large files)" : "";
      return new UserError(`${who} denied access${ctx.bucketSetting ? ` to ${bucket}` : ""}: the key needs the ` +
        `${ctx.permission} permission${also}.`);
    }
    case "PermanentRedirect":
    case "AuthorizationHeaderMalformed":
    case "IllegalLocationConstraintException":
      return new UserError(`${who} says ${bucket} is in another region than the "Region" setting. ` +
        "Set the region the bucket was created in.");
    case "QuotaExceeded":
    case "XMinioStorageFull":
    case "StorageFull":
    case "InsufficientStorage":
      return new UserError(`${who} is out of space or over its quota: nothing was written. ` +
        "Free space or raise the quota.");
    case "EntityTooLarge":
      return new UserError(`${who} refused the file as too large for ${bucket}.`);
    case "InvalidBucketName":
      return new UserError(`${ctx.bucketSetting ? `The name in "${ctx.bucketSetting}"` : "The bucket's name"} ` +
        "is not a valid bucket name.");
    case "SlowDown":
    case "ServiceUnavailable":
    case "InternalError":
      return new RetryableError(`${who} was overloaded or failing (${code}) even after retries. ` +
        "Nothing was written; try again later.");
    case "AnswerTooLarge":
      return new UserError(`${who} sent an answer far longer than any S3 answer: check that the endpoint is an ` +
        "S3-compatible store.");
  }
  if (status === 403) {
    return new UserError(`${who} refused the request (HTTP 403${code ? `, ${code}` : ""}): check the keys and that ` +
      `they have the ${ctx.permission} permission.`);
  }
  // The SDK's own names ("Error", "Unknown") and its parse errors say nothing to a user.
  const named = /^[A-Z][A-Za-z]+$/.test(code) && !/^(Error|Unknown|TypeError|SyntaxError)$/.test(code) ? code : "";
  const said = `HTTP ${status}${named ? `, ${named}` : ""}`;
  if (status === 404) {
    return new UserError(`${capitalized(bucket)} does not exist in ${who} (HTTP 404). Check it and the region.`);
  }
  if (status === 429) {
    return new RetryableError(`${who} kept rate-limiting the requests (HTTP 429) even after retries. Try again later.`);
  }
  if (status !== undefined && status >= 500) {
    return new RetryableError(`${who} kept failing (${said}) even after retries. Nothing was written; ` +
      "try again later.");
  }
  if (status !== undefined && status < 300) {
    return new UserError(`${who} gave an answer that is not S3's (${said}): check that the endpoint is an ` +
      "S3-compatible store.");
  }
  return new UserError(`${who} refused the request${status ? ` (${said})` : ""}. Check the keys, region and bucket.`);
}
