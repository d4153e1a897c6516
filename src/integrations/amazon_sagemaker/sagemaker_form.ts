// What the three SageMaker integrations share in their forms and admin settings: the official
// hub's params (keys, role, status mail over SMTP), its instance types, and its numeric fields,
// each checked against its range with a message on the field.
import { FormField } from "../../hub/action_form";
import { ActionRequest } from "../../hub/action_request";
import { Param } from "../../hub/integration";
import { UserError } from "../../lib/errors";

// Inference sends no mail; the settings stay required as in the official hub, so admin settings move over.
const UNUSED = " Unused by inference.";

/**
 * The official params, in its order: `region` only where the official integration has it (infer);
 * the SMTP settings carry the training status mails (inference sends none, there or here).
 */
export function sageMakerParams(inference: boolean): Param[] {
  const note = inference ? UNUSED : "";
  const params: Param[] = [
    { name: "accessKeyId", label: "Access Key", required: true, sensitive: true,
      description: "Your access key for SageMaker (and the S3 bucket of the data)." },
    { name: "secretAccessKey", label: "Secret Key", required: true, sensitive: true,
      description: "Your secret key for SageMaker." },
    { name: "roleArn", label: "Role ARN", required: true, sensitive: false,
      description: "Role ARN for accessing SageMaker and S3 (SageMaker assumes it to read and write the bucket)." },
  ];
  if (inference) {
    params.push({ name: "region", label: "Region", required: true, sensitive: false,
      description: "AWS Region for accessing SageMaker, e.g. us-east-1." });
  }
  params.push(
    { name: "user_email", label: "Looker User Email", required: true, sensitive: false,
      description: `Bind it to the user attribute 'Email': where the status of a training job is mailed.${note}` },
    { name: "smtpHost", label: "SMTP Host", required: true, sensitive: false,
      description: `Host for sending emails.${note}` },
    { name: "smtpPort", label: "SMTP Port", required: true, sensitive: false,
      description: `Port for sending emails: 465 (TLS from the start) or 587 (STARTTLS).${note}` },
    { name: "smtpFrom", label: "SMTP From", required: true, sensitive: false,
      description: `From for sending emails.${note}` },
    { name: "smtpUser", label: "SMTP User", required: true, sensitive: false,
      description: `User for sending emails.${note}` },
    // The official hub declared the password not sensitive; the flag is part of what moves over unchanged.
    { name: "smtpPass", label: "SMTP Pass", required: true, sensitive: false,
      description: `Pass for sending emails.${note}` },
  );
  return params;
}

/** Instance types SageMaker trains and infers on, as the official hub offered them. */
export const INSTANCE_TYPES = [
  "ml.m4.xlarge", "ml.m4.2xlarge", "ml.m4.4xlarge", "ml.m4.10xlarge", "ml.m4.16xlarge",
  "ml.m5.large", "ml.m5.xlarge", "ml.m5.2xlarge", "ml.m5.4xlarge", "ml.m5.12xlarge", "ml.m5.24xlarge",
  "ml.c4.xlarge", "ml.c4.2xlarge", "ml.c4.4xlarge", "ml.c4.8xlarge",
  "ml.p2.xlarge", "ml.p2.8xlarge", "ml.p2.16xlarge", "ml.p3.2xlarge", "ml.p3.8xlarge", "ml.p3.16xlarge",
  "ml.c5.xlarge", "ml.c5.2xlarge", "ml.c5.4xlarge", "ml.c5.9xlarge", "ml.c5.18xlarge",
];

export const INSTANCE_TYPE_FIELD: FormField = {
  type: "select", label: "AWS Instance Type", name: "awsInstanceType", required: true,
  options: INSTANCE_TYPES.map((t) => ({ name: t, label: t })), default: "ml.m4.xlarge",
  description: "The type of AWS instance to use. More info: https://aws.amazon.com/sagemaker/pricing/instance-types",
};

export const INSTANCE_COUNT_FIELD: FormField = {
  type: "string", label: "Number of instances", name: "numInstances", default: "1",
  description: "The number of instances to run. Valid values: 1 to 500.",
};

export const MAX_RUNTIME_FIELD: FormField = {
  type: "string", label: "Maximum runtime in hours", name: "maxRuntimeInHours", default: "12",
  description: "Maximum allowed time for the job to run, in hours. Valid values: 1 to 72.",
};

/** A bucket choice; `buckets` undefined when only checking values. */
export function bucketField(label: string, description: string, buckets?: string[]): FormField {
  return { type: "select", label, name: "bucket", required: true, description, default: buckets?.[0],
    options: (buckets ?? []).map((b) => ({ name: b, label: b })) };
}

/** A whole number from the form within [min, max]; its field's default when left empty. */
export function numberField(request: ActionRequest, field: FormField, min: number, max: number): number {
  const raw = (request.formParams[field.name] ?? "").trim() || (field.default ?? "");
  const value = Number(raw);
  if (!raw || !Number.isInteger(value) || value < min || value > max) {
    throw new UserError(`${field.label} must be a whole number from ${min} to ${max}; it is "${raw}".`,
      { [field.name]: `A whole number from ${min} to ${max}.` });
  }
  return value;
}

/** A required text or choice of the form, trimmed. */
export function requiredValue(request: ActionRequest, field: FormField): string {
  const value = (request.formParams[field.name] ?? "").trim();
  if (!value) {
    throw new UserError(`Please fill in "${field.label}".`, { [field.name]: `${field.label} is required.` });
  }
  return value;
}

/** A SageMaker resource name: letters, digits and hyphens, 1 to 63, as SageMaker requires. */
export function checkedName(value: string, field: FormField, room = 63): string {
  if (!/^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/.test(value) || value.length > room) {
    throw new UserError(`${field.label} may hold letters, digits and single hyphens, at most ${room} characters ` +
      `(SageMaker's rule for names); it is "${value}".`, { [field.name]: "Letters, digits and hyphens." });
  }
  return value;
}
