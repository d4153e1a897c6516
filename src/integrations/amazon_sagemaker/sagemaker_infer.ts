// amazon_sagemaker_infer: a batch transform (inference) of a Look's results with a model already
// in SageMaker, as the official hub does: the data is streamed to the bucket twice, once without
// its header and first 0-2 columns (the transform's input) and once raw, then CreateTransformJob
// writes the predictions under s3://bucket/<job>/transform-output. The answer comes once the job
// is created; no mail follows, as in the official hub.
import { PassThrough } from "stream";
import { ActionForm, FormField } from "../../hub/action_form";
import { ActionRequest, ActionType } from "../../hub/action_request";
import { ActionResponse } from "../../hub/action_response";
import {
  DownloadSetting, Format, Formatting, iconBeside, Integration, Param, VisualizationFormatting,
} from "../../hub/integration";
import { UserError } from "../../lib/errors";
import { StripCsv } from "./csv_columns";
import { awsKeys, sageMakerClient, sageMakerProblem, sageMakerSdk } from "./sagemaker_client";
import {
  bucketField, INSTANCE_COUNT_FIELD, INSTANCE_TYPE_FIELD, numberField, requiredValue, sageMakerParams,
} from "./sagemaker_form";
import { s3ClientFor, SageMakerSettings } from "./sagemaker_train";

const MODEL: FormField = { label: "Model", name: "modelName", required: true, type: "select",
  description: "The SageMaker model to run the inference with." };
const STRIP_COLUMNS: FormField = {
  label: "Strip Columns", name: "numStripColumns", required: true, type: "select", default: "0",
  options: [{ name: "0", label: "None" }, { name: "1", label: "First Column" }, { name: "2", label: "First & Second Column" }],
  description: "Columns to remove before running inference task. Columns must be first or second column in the data " +
    "provided. Use this to remove key, target variable, or both.",
};
const BUCKET = { label: "Output Bucket", description: "The S3 bucket where inference data should be stored" };
/** ListModels pages at most this many times (100 models each). */
const MAX_MODEL_PAGES = 50;

function fields(models?: string[], buckets?: string[]): FormField[] {
  return [{ ...MODEL, options: (models ?? []).map((m) => ({ name: m, label: m })) }, STRIP_COLUMNS,
    bucketField(BUCKET.label, BUCKET.description, buckets), INSTANCE_TYPE_FIELD, INSTANCE_COUNT_FIELD];
}

export class SageMakerInferIntegration extends Integration {
  readonly name = "amazon_sagemaker_infer";
  readonly label = "Amazon SageMaker Infer";
  readonly description = "Perform an inference using Amazon SageMaker.";
  readonly icon = iconBeside(__dirname, "sagemaker_infer.svg");
  readonly params: Param[] = sageMakerParams(true);
  readonly supportedActionTypes: ActionType[] = ["query"];
  readonly supportedFormats: Format[] = ["csv"];
  readonly supportedFormattings: Formatting[] = ["unformatted"];
  readonly supportedVisualizationFormattings: VisualizationFormatting[] = ["noapply"];
  readonly supportedDownloadSettings: DownloadSetting[] = ["push", "url"];

  constructor(private readonly settings: SageMakerSettings) { super(); }

  async form(request: ActionRequest): Promise<ActionForm> {
    const models = await this.models(request);
    if (!models.length) {
      return ActionForm.error(`SageMaker has no model in ${this.region(request)} for this key: train one (e.g. with ` +
        "the Amazon SageMaker Train actions) or check the action's Region.");
    }
    const { listS3Buckets } = await import("../../lib/object_stores/s3");
    const buckets = await listS3Buckets(await s3ClientFor(this.settings, request, this.region(request)));
    if (!buckets.length) {
      return ActionForm.error("The access key sees no S3 bucket to write the inference data to.");
    }
    return new ActionForm(fields(models, buckets));
  }

  async validationForm(): Promise<ActionForm> { return new ActionForm(fields()); }

  async execute(request: ActionRequest): Promise<ActionResponse> {
    const modelName = requiredValue(request, MODEL);
    const bucket = requiredValue(request, bucketField(BUCKET.label, BUCKET.description));
    const instanceType = requiredValue(request, INSTANCE_TYPE_FIELD);
    const instances = numberField(request, INSTANCE_COUNT_FIELD, 1, 500);
    const strip = numberField(request, STRIP_COLUMNS, 0, 2);
    if (!request.delivery) { throw new UserError("The query returned no data, so no inference was started."); }
    const region = this.region(request);
    const s3 = await s3ClientFor(this.settings, request, region);
    const { uploadS3Stream } = await import("../../lib/object_stores/s3");
    const jobName = `transform-job-${Date.now()}`;
    // One read of the data feeds both uploads; the slower one sets the pace (pipe's backpressure).
    const source = await request.delivery.stream();
    const input = source.pipe(new StripCsv(strip));
    const raw = source.pipe(new PassThrough());
    const upload = (key: string, body: NodeJS.ReadableStream) => uploadS3Stream(s3, { bucket, key,
      body: body as any, contentType: "text/csv", bucketSetting: BUCKET.label, signal: request.signal });
    try {
      await Promise.all([upload(`${jobName}/transform-input`, input), upload(`${jobName}/transform-raw`, raw)]);
    } catch (err) {
      input.destroy();
      raw.destroy();
      throw err;
    }
    const { CreateTransformJobCommand } = await sageMakerSdk();
    const sagemaker = await sageMakerClient(this.settings.http, this.settings.sagemakerEndpoint, region,
      awsKeys(request.params));
    const output = `s3://${bucket}/${jobName}/transform-output`;
    try {
      await sagemaker.send(new CreateTransformJobCommand({
        ModelName: modelName, TransformJobName: jobName,
        TransformInput: { ContentType: "text/csv",
          DataSource: { S3DataSource: { S3DataType: "S3Prefix",
            S3Uri: `s3://${bucket}/${jobName}/transform-input` } } },
        TransformOutput: { S3OutputPath: output },
        TransformResources: { InstanceCount: instances, InstanceType: instanceType as any },
      }));
    } catch (err) {
      throw sageMakerProblem(err, "creating the transform job");
    }
    return ActionResponse.ok(`Started the SageMaker transform job ${jobName} with the model ${modelName} ` +
      `(${instances} × ${instanceType}); its predictions will be in ${output}.`);
  }

  private region(request: ActionRequest): string {
    const region = (request.params.region ?? "").trim();
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) {
      throw new UserError(`The action's Region "${region}" is not an AWS region such as us-east-1. Ask ` +
        "your Looker admin to correct it.");
    }
    return region;
  }

  private async models(request: ActionRequest): Promise<string[]> {
    const { ListModelsCommand } = await sageMakerSdk();
    const sagemaker = await sageMakerClient(this.settings.http, this.settings.sagemakerEndpoint, this.region(request),
      awsKeys(request.params));
    const names: string[] = [];
    let token: string | undefined;
    try {
      for (let page = 0; page < MAX_MODEL_PAGES; page++) {
        const answer = await sagemaker.send(new ListModelsCommand({ MaxResults: 100, NextToken: token }));
        for (const m of answer.Models ?? []) { if (m.ModelName) { names.push(m.ModelName); } }
        if (!answer.NextToken || answer.NextToken === token) { break; }
        token = answer.NextToken;
      }
    } catch (err) {
      throw sageMakerProblem(err, "listing the models");
    }
    return names;
  }
}
