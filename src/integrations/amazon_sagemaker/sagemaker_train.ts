// A training delivery, shared by the XGBoost and Linear Learner integrations (each brings its
// algorithm: image, hyperparameters, form fields): the bucket's region, the data streamed to
// s3://bucket/<job>/train without its header, CreateTrainingJob, then the job followed and its
// outcome mailed (training_follower.ts). The answer comes once the job is created.
import type { S3Client } from "@aws-sdk/client-s3";
import { HttpSettings } from "../../config";
import { ActionForm, FormField } from "../../hub/action_form";
import { ActionRequest } from "../../hub/action_request";
import { ActionResponse } from "../../hub/action_response";
import { UserError } from "../../lib/errors";
import { UrlGuard } from "../../lib/url_guard";
import { StripCsv } from "./csv_columns";
import { awsKeys, sageMakerClient, sageMakerProblem, sageMakerSdk } from "./sagemaker_client";
import {
  bucketField, checkedName, INSTANCE_COUNT_FIELD, INSTANCE_TYPE_FIELD, MAX_RUNTIME_FIELD, numberField, requiredValue,
} from "./sagemaker_form";
import { groupDigits } from "../../lib/digits";
import { TrainingRecord, trainingFollowers } from "./training_follower";
import { mailSettings } from "./training_mail";

export interface SageMakerSettings {
  http: HttpSettings;
  guard: UrlGuard;
  /** AWS_SAGEMAKER_ENDPOINT */
  sagemakerEndpoint?: string;
  /** AWS_S3_ENDPOINT */
  s3Endpoint?: string;
  pollMs: number;
  smtpTimeoutMs: number;
  smtpCaCertificate?: string;
}

/** What one built-in algorithm adds to the shared flow. */
export interface Algorithm {
  /** "XGBoost", "Linear Learner". */
  name: string;
  image(region: string): string;
  /** The algorithm's own form fields, placed after the bucket. */
  fields: FormField[];
  /** Its field of rounds (epochs), placed after the instance count as in the official form. */
  roundsField: FormField;
  /**
   * Its hyperparameters from the form (values are strings, as SageMaker wants them); `columns` is
   * the data's number of columns (its header's), once read.
   */
  hyperParameters(request: ActionRequest, columns: number): Record<string, string>;
  /** Checks the algorithm's form values before any data moves. */
  check(request: ActionRequest): void;
}

export const MODEL_NAME_FIELD: FormField = {
  type: "string", label: "Model Name", name: "modelName", required: true,
  description: "The name for model to be created after training is complete.",
};
const BUCKET = { label: "Bucket", description: "The S3 bucket where SageMaker input training data should be stored" };

/** The form's fields; `buckets` undefined when only checking values. */
export function trainingFields(algorithm: Algorithm, buckets?: string[]): FormField[] {
  return [MODEL_NAME_FIELD, bucketField(BUCKET.label, BUCKET.description, buckets), ...algorithm.fields,
    INSTANCE_TYPE_FIELD, INSTANCE_COUNT_FIELD, algorithm.roundsField, MAX_RUNTIME_FIELD];
}

export async function s3ClientFor(settings: SageMakerSettings, request: ActionRequest, region: string):
  Promise<S3Client> {
  const { s3Client } = await import("../../lib/object_stores/s3");
  const http = settings.http;
  return s3Client({ ...awsKeys(request.params), region, endpoint: settings.s3Endpoint, who: "Amazon S3",
    connectTimeoutMs: http.connectTimeoutMs, idleTimeoutMs: http.idleTimeoutMs, totalTimeoutMs: http.totalTimeoutMs,
    maxAttempts: http.maxAttempts });
}

export async function trainingForm(settings: SageMakerSettings, algorithm: Algorithm, request: ActionRequest):
  Promise<ActionForm> {
  const { listS3Buckets } = await import("../../lib/object_stores/s3");
  const buckets = await listS3Buckets(await s3ClientFor(settings, request, "us-east-1"));
  if (!buckets.length) {
    return ActionForm.error("The access key sees no S3 bucket: create one for the training data, or give the key " +
      "access to one.");
  }
  return new ActionForm(trainingFields(algorithm, buckets));
}

export async function trainingExecute(settings: SageMakerSettings, algorithm: Algorithm, request: ActionRequest):
  Promise<ActionResponse> {
  const modelName = checkedName(requiredValue(request, MODEL_NAME_FIELD), MODEL_NAME_FIELD, 49);
  const bucket = requiredValue(request, bucketField(BUCKET.label, BUCKET.description));
  const instanceType = requiredValue(request, INSTANCE_TYPE_FIELD);
  const instances = numberField(request, INSTANCE_COUNT_FIELD, 1, 500);
  const hours = numberField(request, MAX_RUNTIME_FIELD, 1, 72);
  algorithm.check(request);
  const mail = mailSettings(request.params);
  if (!request.delivery) {
    throw new UserError("The query returned no data, so no training job was started.");
  }
  const { s3BucketRegion, uploadS3Stream } = await import("../../lib/object_stores/s3");
  const region = await s3BucketRegion(await s3ClientFor(settings, request, "us-east-1"), bucket);
  const image = algorithm.image(region);
  const s3 = await s3ClientFor(settings, request, region);
  // As the official hub names jobs: the model's name and the time, within SageMaker's 63 characters.
  const jobName = `${modelName}-${Date.now()}`;
  const key = `${jobName}/train`;
  const strip = new StripCsv(0);
  const uploaded = await uploadS3Stream(s3, { bucket, key, body: (await request.delivery.stream()).pipe(strip),
    contentType: "text/csv", signal: request.signal });
  if (uploaded.bytes === 0) {
    throw new UserError("The query returned no rows besides its header, so no training job was started.");
  }
  const hyperParameters = algorithm.hyperParameters(request, strip.headerFields);
  const keys = awsKeys(request.params);
  const sagemaker = await sageMakerClient(settings.http, settings.sagemakerEndpoint, region, keys);
  const { CreateTrainingJobCommand } = await sageMakerSdk();
  const roleArn = (request.params.roleArn ?? "").trim();
  try {
    await sagemaker.send(new CreateTrainingJobCommand({
      TrainingJobName: jobName, RoleArn: roleArn,
      AlgorithmSpecification: { TrainingInputMode: "File", TrainingImage: image },
      HyperParameters: hyperParameters,
      InputDataConfig: [{ ChannelName: "train", ContentType: "text/csv",
        DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: `s3://${bucket}/${key}` } } }],
      OutputDataConfig: { S3OutputPath: `s3://${bucket}` },
      ResourceConfig: { InstanceCount: instances, InstanceType: instanceType as any, VolumeSizeInGB: 10 },
      StoppingCondition: { MaxRuntimeInSeconds: hours * 3600 },
    }));
  } catch (err) {
    throw sageMakerProblem(err, "creating the training job");
  }
  const record: TrainingRecord = { jobName, modelName, image, roleArn, region, bucket,
    maxRuntimeSeconds: hours * 3600, startedAt: Date.now() };
  const means = { sagemaker, s3, mail, logger: request.logger, pollMs: settings.pollMs,
    mailer: { guard: settings.guard, timeoutMs: settings.smtpTimeoutMs, totalTimeoutMs: settings.http.totalTimeoutMs,
      caCertificate: settings.smtpCaCertificate } };
  await trainingFollowers.start(record, means);
  // Jobs a restart left behind in this bucket are taken up now.
  await trainingFollowers.resume(bucket, means, async (r) =>
    r === region ? sagemaker : sageMakerClient(settings.http, settings.sagemakerEndpoint, r, keys));
  return ActionResponse.ok(`Started the SageMaker training job ${jobName} (${algorithm.name}, ${instances} × ` +
    `${instanceType}, at most ${hours} h) on ${groupDigits(uploaded.bytes)} bytes of data in ` +
    `s3://${bucket}/${key}. When it ends, the hub creates the model ${modelName} and mails ${mail.to}; if the hub ` +
    `restarts first, the next training delivery into ${bucket} takes the job up again.`);
}
