// Amazon SageMaker's API as the sagemaker integrations use it, on 127.0.0.1: AWS JSON 1.1 (POST /,
// `Content-Type: application/x-amz-json-1.1`, `X-Amz-Target: SageMaker.<Operation>`), every request
// signed with SigV4 and the signature checked independently of the SDK (ec2_api.ts's verifySigV4),
// so an unknown key is UnrecognizedClientException and a wrong secret InvalidSignatureException,
// as AWS answers them. Operations: ListModels (paged), CreateTransformJob, CreateTrainingJob,
// DescribeTrainingJob, CreateModel, with SageMaker's checks of names and ARNs and its error shapes.
import * as crypto from "crypto";
import { verifySigV4 } from "./ec2_api";
import { HttpReceiver, Received, Reply } from "./http_receiver";

export type TrainingStatus = "InProgress" | "Completed" | "Failed" | "Stopping" | "Stopped";

export interface FakeTrainingJob {
  request: any;
  region: string;
  status: TrainingStatus;
  failureReason?: string;
}

const NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/;

function error(type: string, message: string, status = 400): Reply {
  return { status, headers: { "content-type": "application/x-amz-json-1.1", "x-amzn-errortype": type,
    "x-amzn-requestid": crypto.randomUUID() }, body: JSON.stringify({ __type: type, message }) };
}

function ok(body: unknown): Reply {
  return { status: 200, headers: { "content-type": "application/x-amz-json-1.1",
    "x-amzn-requestid": crypto.randomUUID() }, body: JSON.stringify(body) };
}

export class FakeSageMaker extends HttpReceiver {
  models = new Map<string, any>([["ModelA", { ModelName: "ModelA" }], ["ModelB", { ModelName: "ModelB" }]]);
  readonly transformJobs = new Map<string, { request: any; region: string }>();
  readonly trainingJobs = new Map<string, FakeTrainingJob>();
  /** Operations answered, in order, once signed correctly. */
  readonly calls: Array<{ operation: string; region: string; body: any }> = [];
  /** ListModels pages this many models at most. */
  pageSize = 100;

  constructor(private readonly keyId: string, private readonly secret: string,
              private readonly account = "123456789012") {
    super();
    this.handler = (r) => this.route(r);
  }

  /** Ends a training job as SageMaker would. */
  finish(jobName: string, status: "Completed" | "Failed" | "Stopped", failureReason?: string): void {
    const job = this.trainingJobs.get(jobName);
    if (!job) { throw new Error(`no training job ${jobName}`); }
    job.status = status;
    job.failureReason = failureReason;
  }

  operations(name: string): any[] { return this.calls.filter((c) => c.operation === name).map((c) => c.body); }

  private route(r: Received): Reply {
    const check = verifySigV4(r, this.secret, this.keyId);
    if (!check.ok) {
      return check.reason === "unknown key"
        ? error("UnrecognizedClientException", "The security token included in the request is invalid.")
        : error("InvalidSignatureException", "The request signature we calculated does not match the signature you " +
          "provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
    }
    if (check.service !== "sagemaker") {
      return error("InvalidSignatureException", `Credential should be scoped to correct service: 'sagemaker'.`);
    }
    const target = String(r.headers["x-amz-target"] ?? "");
    if (r.method !== "POST" || r.path !== "/" || String(r.headers["content-type"]) !== "application/x-amz-json-1.1" ||
      !target.startsWith("SageMaker.")) {
      return error("UnknownOperationException", "The operation is not supported.");
    }
    let body: any;
    try { body = JSON.parse(r.body.toString("utf8") || "{}"); } catch {
      return error("SerializationException", "Start of structure or map found where not expected.");
    }
    const operation = target.slice("SageMaker.".length);
    this.calls.push({ operation, region: check.region!, body });
    switch (operation) {
      case "ListModels": return this.listModels(body);
      case "CreateTransformJob": return this.createTransformJob(body, check.region!);
      case "CreateTrainingJob": return this.createTrainingJob(body, check.region!);
      case "DescribeTrainingJob": return this.describeTrainingJob(body);
      case "CreateModel": return this.createModel(body, check.region!);
      default: return error("UnknownOperationException", `The operation ${operation} is not supported here.`);
    }
  }

  private arn(kind: string, name: string, region: string): string {
    return `arn:aws:sagemaker:${region}:${this.account}:${kind}/${name.toLowerCase()}`;
  }

  private listModels(body: any): Reply {
    const all = [...this.models.values()];
    const start = body.NextToken ? Number(Buffer.from(body.NextToken, "base64").toString()) : 0;
    const size = Math.min(Number(body.MaxResults ?? this.pageSize), this.pageSize);
    const page = all.slice(start, start + size);
    const next = start + size < all.length ? Buffer.from(String(start + size)).toString("base64") : undefined;
    return ok({ Models: page.map((m) => ({ ModelName: m.ModelName, ModelArn: this.arn("model", m.ModelName, "x"),
      CreationTime: 1_700_000_000 })), NextToken: next });
  }

  private createTransformJob(body: any, region: string): Reply {
    const name = body.TransformJobName;
    if (typeof name !== "string" || !NAME.test(name)) {
      return error("ValidationException", `1 validation error detected: Value '${name}' at 'transformJobName' failed ` +
        "to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}");
    }
    if (!this.models.has(body.ModelName)) {
      return error("ValidationException",
        `Could not find model "${this.arn("model", String(body.ModelName), region)}".`);
    }
    const input = body.TransformInput?.DataSource?.S3DataSource;
    if (!input?.S3Uri || !input?.S3DataType || !body.TransformOutput?.S3OutputPath ||
      !body.TransformResources?.InstanceType || !Number.isInteger(body.TransformResources?.InstanceCount)) {
      return error("ValidationException", "TransformInput, TransformOutput and TransformResources are required.");
    }
    if (this.transformJobs.has(name)) {
      return error("ResourceInUse", `Job name must be unique within an AWS account and region, and a job with this ` +
        `name already exists (${this.arn("transform-job", name, region)})`);
    }
    this.transformJobs.set(name, { request: body, region });
    return ok({ TransformJobArn: this.arn("transform-job", name, region) });
  }

  private createTrainingJob(body: any, region: string): Reply {
    const name = body.TrainingJobName;
    if (typeof name !== "string" || !NAME.test(name)) {
      return error("ValidationException", `1 validation error detected: Value '${name}' at 'trainingJobName' failed ` +
        "to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}");
    }
    if (typeof body.RoleArn !== "string" || !ROLE_ARN.test(body.RoleArn)) {
      return error("ValidationException", `1 validation error detected: Value '${body.RoleArn}' at 'roleArn' failed ` +
        "to satisfy constraint: Member must satisfy regular expression pattern: ^arn:aws[a-z\\-]*:iam::\\d{12}:role/?" +
        "[a-zA-Z_0-9+=,.@\\-_/]+$");
    }
    const spec = body.AlgorithmSpecification ?? {};
    if (!spec.TrainingImage || !["File", "Pipe", "FastFile"].includes(spec.TrainingInputMode)) {
      return error("ValidationException", "AlgorithmSpecification needs TrainingImage and TrainingInputMode.");
    }
    if (!Array.isArray(body.InputDataConfig) || !body.OutputDataConfig?.S3OutputPath ||
      !body.ResourceConfig?.InstanceType || !Number.isInteger(body.ResourceConfig?.InstanceCount) ||
      !Number.isInteger(body.StoppingCondition?.MaxRuntimeInSeconds)) {
      return error("ValidationException", "InputDataConfig, OutputDataConfig, ResourceConfig and StoppingCondition " +
        "are required.");
    }
    for (const [key, value] of Object.entries(body.HyperParameters ?? {})) {
      if (typeof value !== "string") { return error("ValidationException", `Hyperparameter ${key} must be a string.`); }
    }
    if (this.trainingJobs.has(name)) {
      return error("ResourceInUse", `Training job names must be unique within an AWS account and region, and a ` +
        `training job with this name already exists (${this.arn("training-job", name, region)})`);
    }
    this.trainingJobs.set(name, { request: body, region, status: "InProgress" });
    return ok({ TrainingJobArn: this.arn("training-job", name, region) });
  }

  private describeTrainingJob(body: any): Reply {
    const job = this.trainingJobs.get(body.TrainingJobName);
    if (!job) { return error("ValidationException", "Requested resource not found."); }
    const r = job.request;
    return ok({
      TrainingJobName: r.TrainingJobName, TrainingJobArn: this.arn("training-job", r.TrainingJobName, job.region),
      TrainingJobStatus: job.status, SecondaryStatus: job.status === "InProgress" ? "Training" : job.status,
      FailureReason: job.failureReason, AlgorithmSpecification: r.AlgorithmSpecification, RoleArn: r.RoleArn,
      HyperParameters: r.HyperParameters, ResourceConfig: r.ResourceConfig, StoppingCondition: r.StoppingCondition,
      ModelArtifacts: job.status !== "Completed" ? undefined
        : { S3ModelArtifacts: `${r.OutputDataConfig.S3OutputPath}/${r.TrainingJobName}/output/model.tar.gz` },
      CreationTime: 1_700_000_000,
    });
  }

  private createModel(body: any, region: string): Reply {
    const name = body.ModelName;
    if (typeof name !== "string" || !NAME.test(name)) {
      return error("ValidationException", `1 validation error detected: Value '${name}' at 'modelName' failed to ` +
        "satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}");
    }
    if (this.models.has(name)) {
      return error("ValidationException", `Cannot create already existing model "${this.arn("model", name, region)}".`);
    }
    const container = body.PrimaryContainer ?? {};
    if (!container.Image || !container.ModelDataUrl || !ROLE_ARN.test(body.ExecutionRoleArn)) {
      return error("ValidationException", "PrimaryContainer.Image, ModelDataUrl and ExecutionRoleArn are required.");
    }
    this.models.set(name, { ...body, region });
    return ok({ ModelArn: this.arn("model", name, region) });
  }
}
