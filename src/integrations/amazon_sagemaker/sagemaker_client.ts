// SageMaker's API through @aws-sdk/client-sagemaker (AWS JSON 1.1, SigV4), with the hub's outbound
// timeouts and retries and a cap on answers (aws_client_options.ts), and SageMaker's refusals as
// sentences a Looker admin can act on. The SDK is loaded on first use: most hubs never train a model.
import type { SageMakerClient } from "@aws-sdk/client-sagemaker";
import { HttpSettings } from "../../config";
import { awsClientOptions } from "../../lib/aws_client_options";
import { RetryableError, UserError } from "../../lib/errors";
import { networkError, networkFailure } from "../../lib/network_errors";

export interface AwsKeys {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface SageMakerEndpoints {
  /** AWS_SAGEMAKER_ENDPOINT: replaces the region's public endpoint (VPC endpoints, tests). */
  sagemaker?: string;
  /** AWS_S3_ENDPOINT: the S3 endpoint of the training data's bucket. */
  s3?: string;
}

let sdk: Promise<typeof import("@aws-sdk/client-sagemaker")> | undefined;

/** The SDK module, for its command classes. */
export function sageMakerSdk() {
  return (sdk = sdk ?? import("@aws-sdk/client-sagemaker"));
}

/** The request's AWS keys (the official params). */
export function awsKeys(params: Record<string, string>): AwsKeys {
  return { accessKeyId: params.accessKeyId ?? "", secretAccessKey: params.secretAccessKey ?? "" };
}

/** A client for one delivery: the credentials are the request's, never the process's. */
export async function sageMakerClient(http: HttpSettings, endpoint: string | undefined, region: string,
  keys: AwsKeys): Promise<SageMakerClient> {
  const { SageMakerClient: Client } = await sageMakerSdk();
  return new Client({
    region, endpoint, ...await awsClientOptions(http),
    credentials: { accessKeyId: keys.accessKeyId.trim(), secretAccessKey: keys.secretAccessKey.trim() },
  });
}

const WHO = "Amazon SageMaker";

/** SageMaker's refusal of `doing` ("creating the training job") as a sentence. */
export function sageMakerProblem(err: unknown, doing: string): UserError {
  if (err instanceof UserError) { return err; }
  // A certificate problem or a name that does not resolve: said as every client says it.
  const found = networkFailure(err);
  if (found && !found.transient) { return networkError(err, WHO)!; }
  // A network failure (refused, cut, silent): worded for this call, not for an upload.
  if (found) {
    return new RetryableError(`${WHO} could not be reached or stopped answering while ${doing}, even after retries. ` +
      "Try again later.");
  }
  const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const code = String(e?.name ?? "");
  const status = e?.$metadata?.httpStatusCode;
  const said = typeof e?.message === "string" ? e.message.replace(/\s+/g, " ").trim().slice(0, 300) : "";
  switch (code) {
    case "UnrecognizedClientException":
    case "InvalidClientTokenId":
      return new UserError(`${WHO} does not know the access key while ${doing}. Check the "Access Key" setting ` +
        "(it may have been deleted or deactivated).");
    case "InvalidSignatureException":
    case "SignatureDoesNotMatch":
      return new UserError(`${WHO} refused the secret key while ${doing}: the signature does not match. Check the ` +
        "\"Secret Key\" setting; it must belong to the access key.");
    case "ExpiredTokenException":
      return new UserError(`${WHO} says the credentials have expired (${doing}). Set current keys in the action.`);
    case "AccessDeniedException":
      return new UserError(`${WHO} denied ${doing}: the key's IAM policy must allow it${said ? ` ("${said}")` : ""}.`);
    case "ValidationException":
      return new UserError(`${WHO} refused ${doing}: "${said}". Check the form's values and the "Role ARN" setting.`);
    case "ResourceInUse":
      return new UserError(`${WHO} refused ${doing}: the name is already used ("${said}"). Choose another model name.`);
    case "ResourceLimitExceeded":
      return new UserError(`${WHO} refused ${doing}: the account's limit is reached ("${said}"). Ask AWS for a ` +
        "higher quota or choose another instance type.");
    case "ResourceNotFound":
      return new UserError(`${WHO} could not find what ${doing} needs ("${said}").`);
    case "ThrottlingException":
      return new RetryableError(`${WHO} kept throttling the requests while ${doing}, even after retries. ` +
        "Try again later.");
  }
  if (status !== undefined && status >= 500) {
    return new RetryableError(`${WHO} kept failing (HTTP ${status}) while ${doing}, even after retries. ` +
      "Try again later.");
  }
  const named = /^[A-Z][A-Za-z]+$/.test(code) && !/^(Error|Unknown|TypeError|SyntaxError)$/.test(code) ? code : "";
  if (status !== undefined && status < 300) {
    return new UserError(`${WHO} gave an answer that is not SageMaker's while ${doing}: check the SageMaker endpoint ` +
      "(AWS_SAGEMAKER_ENDPOINT) and try again.");
  }
  return new UserError(`${WHO} refused ${doing}${status ? ` (HTTP ${status}${named ? `, ${named}` : ""})` : ""}` +
    `${said && named ? `: "${said}"` : ""}. Check the action's settings and the form, then try again.`);
}
