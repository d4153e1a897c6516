// The three SageMaker integrations through the real app, against a fake SageMaker that speaks AWS
// JSON 1.1 and checks SigV4 (test/fakes/sagemaker_api.ts), the suite's S3 server (s3rver, which
// checks SigV4 too) and a real SMTP server. The official hub's test cases are named where matched.
import { expect } from "chai";
import request from "supertest";
import { allIntegrations } from "../../../src/integrations";
import { xgboostImage } from "../../../src/integrations/amazon_sagemaker/algorithm_images";
import { markerKey, trainingFollowers } from "../../../src/integrations/amazon_sagemaker/training_follower";
import { startDownloadServer } from "../../fakes/download_server";
import { FakeSageMaker } from "../../fakes/sagemaker_api";
import { S3_KEY_ID, S3_SECRET, S3Server, sharedS3Server } from "../../fakes/s3_server";
import { SmtpTestServer, testCertificate } from "../../fakes/smtp_server";
import { authHeader, buildTestApp, TestApp, testConfig } from "../../helpers/app";
import { FAST_HTTP_ENV } from "../../helpers/http";
import { eventually } from "../../helpers/process";

const CSV = "a,b,c,d\n1,2,3,4\n5,6,7,8\n";
const ROLE = "arn:aws:iam::123456789012:role/SageMakerLooker";

describe("amazon_sagemaker_infer, amazon_sagemaker_train_xgboost, amazon_sagemaker_train_linearlearner", function() {
  this.timeout(60_000);
  let s3: S3Server;
  let sagemaker: FakeSageMaker;
  let smtp: SmtpTestServer;
  let hub: TestApp;
  let params: Record<string, string>;

  before(async () => {
    s3 = await sharedS3Server();
    await s3.createBucket("sm-training");
    await s3.createBucket("sm-inference");
    sagemaker = await new FakeSageMaker(S3_KEY_ID, S3_SECRET).start();
    smtp = await new SmtpTestServer().start();
    const env = { ...FAST_HTTP_ENV, AWS_S3_ENDPOINT: s3.url, AWS_SAGEMAKER_ENDPOINT: sagemaker.url(""),
      SAGEMAKER_POLL_SECONDS: "0.02", SMTP_CA_CERTIFICATE: testCertificate().cert };
    hub = buildTestApp(allIntegrations(testConfig(env)), env);
    const [host, port] = smtp.address.split(":");
    params = { accessKeyId: S3_KEY_ID, secretAccessKey: S3_SECRET, roleArn: ROLE, region: "us-east-1",
      user_email: "ana@example.com", smtpHost: host, smtpPort: port, smtpFrom: "hub@example.com", smtpUser: "looker",
      smtpPass: "s3cret pass" };
  });
  after(async () => {
    trainingFollowers.stopAll();
    await trainingFollowers.idle();
    trainingFollowers.restart();
    await sagemaker.stop();
    await smtp.stop();
  });

  const post = (path: string, body: Record<string, unknown>) =>
    request(hub.app).post(path).set("Authorization", authHeader()).send(body);
  const push = (name: string, form: Record<string, string>, data = CSV, extra: Record<string, string> = {}) =>
    post(`/actions/${name}/execute`, { type: "query", data: { ...params, ...extra }, form_params: form,
      scheduled_plan: { title: "Churn", query: { fields: ["f1", "f2", "f3", "f4"] } },
      attachment: { mimetype: "text/csv", extension: "csv", data } });
  const jobsIn = (bucket: string) => s3.keys(bucket);

  it("are declared with the official params and formats", async () => {
    const list = await post("/", {});
    const byName = Object.fromEntries(list.body.integrations.map((i: any) => [i.name, i]));
    const flags = (name: string) => byName[name].params.map((p: any) => [p.name, p.required, p.sensitive]);
    const smtpParams = ["user_email", "smtpHost", "smtpPort", "smtpFrom", "smtpUser", "smtpPass"]
      .map((n) => [n, true, false]);
    expect(flags("amazon_sagemaker_infer")).to.deep.equal([["accessKeyId", true, true], ["secretAccessKey", true, true],
      ["roleArn", true, false], ["region", true, false], ...smtpParams]);
    for (const name of ["amazon_sagemaker_train_xgboost", "amazon_sagemaker_train_linearlearner"]) {
      expect(flags(name)).to.deep.equal([["accessKeyId", true, true], ["secretAccessKey", true, true],
        ["roleArn", true, false], ...smtpParams]);
      expect(byName[name]).to.deep.include({ supported_formats: ["csv"], supported_formattings: ["unformatted"],
        supported_visualization_formattings: ["noapply"], supported_action_types: ["query"] });
    }
  });

  // Official test_sagemaker_infer.ts: "has form with correct fields".
  it("infer form: the models (every page), the strip choice, the buckets, instance type and count", async () => {
    sagemaker.pageSize = 1;
    const res = await post("/actions/amazon_sagemaker_infer/form", { data: params }).expect(200);
    sagemaker.pageSize = 100;
    expect(res.body.fields.map((f: any) => f.name)).to.deep.equal(
      ["modelName", "numStripColumns", "bucket", "awsInstanceType", "numInstances"]);
    expect(res.body.fields[0].options.map((o: any) => o.name)).to.include.members(["ModelA", "ModelB"]);
    expect(res.body.fields[1]).to.deep.include({ default: "0", options: [{ name: "0", label: "None" },
      { name: "1", label: "First Column" }, { name: "2", label: "First & Second Column" }] });
    expect(res.body.fields[2].options.map((o: any) => o.name)).to.include.members(["sm-inference", "sm-training"]);
    expect(res.body.fields[3]).to.include({ default: "ml.m4.xlarge" });
    expect(res.body.fields[3].options).to.have.length(26);
    expect(sagemaker.operations("ListModels").length).to.be.greaterThan(1);
  });

  it("a wrong secret or an unknown key is refused by SageMaker as AWS refuses it, and said so", async () => {
    const before = sagemaker.calls.length;
    const wrong = await post("/actions/amazon_sagemaker_infer/form",
      { data: { ...params, secretAccessKey: "not-the-secret" } });
    expect(wrong.body.error).to.match(
      /^Amazon SageMaker refused the secret key while listing the models: the signature/);
    const unknown = await post("/actions/amazon_sagemaker_infer/form",
      { data: { ...params, accessKeyId: "AKIAUNKNOWN" } });
    expect(unknown.body.error).to.match(/^Amazon SageMaker does not know the access key/);
    expect(sagemaker.calls.length).to.equal(before);
  });

  // Official test_sagemaker_infer.ts: "should upload inference data, upload raw data, and create transform job".
  it("infer: uploads the data stripped and raw, then creates the transform job", async () => {
    const res = await push("amazon_sagemaker_infer", { modelName: "ModelA", bucket: "sm-inference",
      awsInstanceType: "ml.m5.large", numInstances: "1", numStripColumns: "2" }).expect(200);
    expect(res.body.looker.success, JSON.stringify(res.body)).to.equal(true);
    const job = sagemaker.operations("CreateTransformJob").pop();
    const name = job.TransformJobName as string;
    expect(name).to.match(/^transform-job-\d{13}$/);
    expect(job).to.deep.equal({ ModelName: "ModelA", TransformJobName: name,
      TransformInput: { ContentType: "text/csv",
        DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: `s3://sm-inference/${name}/transform-input` } } },
      TransformOutput: { S3OutputPath: `s3://sm-inference/${name}/transform-output` },
      TransformResources: { InstanceCount: 1, InstanceType: "ml.m5.large" } });
    expect(s3.bytes("sm-inference", `${name}/transform-input`)!.toString()).to.equal("3,4\n7,8\n");
    expect(s3.bytes("sm-inference", `${name}/transform-raw`)!.toString()).to.equal(CSV);
    expect(sagemaker.calls.filter((c) => c.operation === "CreateTransformJob").pop()!.region).to.equal("us-east-1");
    expect(res.body.looker.message).to.equal(`Started the SageMaker transform job ${name} with the model ModelA ` +
      `(1 × ml.m5.large); its predictions will be in s3://sm-inference/${name}/transform-output.`);
  });

  // Official test_sagemaker_infer.ts: "with invalid parameters".
  it("infer: numbers out of range and missing choices are answered on their fields, nothing uploaded", async () => {
    const before = jobsIn("sm-inference").length;
    const base = { modelName: "ModelA", bucket: "sm-inference", awsInstanceType: "ml.m5.large", numStripColumns: "0" };
    for (const [field, value] of [["numInstances", "0"], ["numInstances", "501"], ["numStripColumns", "3"],
      ["numStripColumns", "-1"]]) {
      const res = await push("amazon_sagemaker_infer", { ...base, [field]: value }).expect(200);
      expect(res.body.looker.success).to.equal(false);
      expect(Object.keys(res.body.looker.validation_errors)).to.deep.equal([field]);
    }
    const missing = await push("amazon_sagemaker_infer", { ...base, modelName: "" }).expect(200);
    expect(missing.body.looker.validation_errors).to.have.property("modelName");
    expect(jobsIn("sm-inference").length).to.equal(before);
  });

  it("infer: a model SageMaker does not know is SageMaker's clear refusal", async () => {
    const res = await push("amazon_sagemaker_infer", { modelName: "Gone", bucket: "sm-inference",
      awsInstanceType: "ml.m5.large", numInstances: "1", numStripColumns: "0" }).expect(200);
    expect(res.body.looker.message).to.match(/^Amazon SageMaker refused creating the transform job: "Could not find model/);
  });

  // Official test_sagemaker_train_xgboost.ts: "has form with correct buckets".
  it("xgboost form: the official fields in their order, every bucket", async () => {
    const res = await post("/actions/amazon_sagemaker_train_xgboost/form", { data: params }).expect(200);
    expect(res.body.fields.map((f: any) => f.name)).to.deep.equal(["modelName", "bucket", "objective", "numClass",
      "awsInstanceType", "numInstances", "numRounds", "maxRuntimeInHours"]);
    expect(res.body.fields[2].options.map((o: any) => o.name)).to.deep.equal(
      ["binary:logistic", "reg:linear", "multi:softmax"]);
    const ll = await post("/actions/amazon_sagemaker_train_linearlearner/form", { data: params }).expect(200);
    expect(ll.body.fields.map((f: any) => f.name)).to.deep.equal(["modelName", "bucket", "predictorType", "numClasses",
      "awsInstanceType", "numInstances", "epochs", "maxRuntimeInHours"]);
  });

  it("xgboost: the data without its header in S3, the training job on the current XGBoost image; then model and mail",
    async () => {
      const res = await push("amazon_sagemaker_train_xgboost", { modelName: "churn-xgb", bucket: "sm-training",
        objective: "multi:softmax", numClass: "4", awsInstanceType: "ml.m5.xlarge", numInstances: "2",
        numRounds: "50", maxRuntimeInHours: "3" }).expect(200);
      expect(res.body.looker.success, JSON.stringify(res.body)).to.equal(true);
      const job = sagemaker.operations("CreateTrainingJob").pop();
      const name = job.TrainingJobName as string;
      expect(name).to.match(/^churn-xgb-\d{13}$/);
      expect(job).to.deep.equal({
        TrainingJobName: name, RoleArn: ROLE,
        AlgorithmSpecification: { TrainingInputMode: "File",
          TrainingImage: "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1" },
        HyperParameters: { objective: "multi:softmax", num_round: "50", num_class: "4" },
        InputDataConfig: [{ ChannelName: "train", ContentType: "text/csv",
          DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: `s3://sm-training/${name}/train` } } }],
        OutputDataConfig: { S3OutputPath: "s3://sm-training" },
        ResourceConfig: { InstanceCount: 2, InstanceType: "ml.m5.xlarge", VolumeSizeInGB: 10 },
        StoppingCondition: { MaxRuntimeInSeconds: 10800 },
      });
      expect(s3.bytes("sm-training", `${name}/train`)!.toString()).to.equal("1,2,3,4\n5,6,7,8\n");
      expect(s3.bytes("sm-training", markerKey(name))).to.not.equal(undefined);
      expect(res.body.looker.message).to.match(new RegExp(`^Started the SageMaker training job ${name} ` +
        "\\(XGBoost, 2 × ml.m5.xlarge, at most 3 h\\).*When it ends, the hub creates the model churn-xgb and mails ana@example.com; " +
        "if the hub restarts first, the next training delivery into sm-training takes the job up again\\.$"));

      const mails = smtp.received.length;
      sagemaker.finish(name, "Completed");
      await eventually(() => smtp.received.length > mails, 10_000, "the status mail");
      const model = sagemaker.models.get("churn-xgb");
      expect(model.PrimaryContainer).to.deep.equal({ Image: job.AlgorithmSpecification.TrainingImage,
        ModelDataUrl: `s3://sm-training/${name}/output/model.tar.gz` });
      expect(model.ExecutionRoleArn).to.equal(ROLE);
      const mail = smtp.received[smtp.received.length - 1];
      expect(mail.to).to.deep.equal(["ana@example.com"]);
      expect(mail.parsed.subject).to.equal("The model churn-xgb has been created");
      expect(mail.user).to.equal("looker");
      await eventually(() => s3.bytes("sm-training", markerKey(name)) === undefined, 5000, "the marker removed");
    });

  it("xgboost: the official reg:linear objective is sent by XGBoost 1.7's name for it", async () => {
    await push("amazon_sagemaker_train_xgboost", { modelName: "reg-xgb", bucket: "sm-training", objective: "reg:linear",
      awsInstanceType: "ml.m4.xlarge", numRounds: "100" }).expect(200);
    expect(sagemaker.operations("CreateTrainingJob").pop().HyperParameters).to.deep.equal(
      { objective: "reg:squarederror", num_round: "100" });
  });

  // Official test_sagemaker_train_linearlearner.ts: "should upload training data and create training job".
  it("linear learner: feature_dim from the data's columns; a failed job is mailed, no model made", async () => {
    const res = await push("amazon_sagemaker_train_linearlearner", { modelName: "churn-ll", bucket: "sm-training",
      predictorType: "binary_classifier", numClasses: "3", awsInstanceType: "ml.m4.xlarge", numInstances: "1",
      epochs: "1", maxRuntimeInHours: "1" }).expect(200);
    expect(res.body.looker.success, JSON.stringify(res.body)).to.equal(true);
    const job = sagemaker.operations("CreateTrainingJob").pop();
    expect(job.AlgorithmSpecification.TrainingImage).to.equal(
      "382416733822.dkr.ecr.us-east-1.amazonaws.com/linear-learner:1");
    expect(job.HyperParameters).to.deep.equal({ predictor_type: "binary_classifier", feature_dim: "3", epochs: "1" });
    expect(job.StoppingCondition).to.deep.equal({ MaxRuntimeInSeconds: 3600 });
    const mails = smtp.received.length;
    sagemaker.finish(job.TrainingJobName, "Failed", "ClientError: Unable to read the data");
    await eventually(() => smtp.received.length > mails, 10_000, "the failure mail");
    const mail = smtp.received[smtp.received.length - 1];
    expect(mail.parsed.subject).to.equal(`Training job ${job.TrainingJobName} failed`);
    expect(mail.parsed.text).to.match(/ClientError: Unable to read the data/);
    expect(sagemaker.models.has("churn-ll")).to.equal(false);
  });

  // Official test_sagemaker_train_*.ts: "errors if param ... is out of range".
  it("training: numbers out of range are answered on their fields, nothing uploaded or created", async () => {
    const before = sagemaker.operations("CreateTrainingJob").length;
    const base = { modelName: "m", bucket: "sm-training", objective: "multi:softmax", awsInstanceType: "ml.m4.xlarge" };
    for (const [field, value] of [["numClass", "0"], ["numClass", "1000001"], ["numInstances", "501"],
      ["numRounds", "0"], ["maxRuntimeInHours", "73"]]) {
      const res = await push("amazon_sagemaker_train_xgboost", { ...base, [field]: value }).expect(200);
      expect(res.body.looker.validation_errors, `${field}=${value}`).to.have.property(field);
    }
    const bad = await push("amazon_sagemaker_train_xgboost", { ...base, modelName: "not ok!" }).expect(200);
    expect(bad.body.looker.validation_errors).to.have.property("modelName");
    expect(sagemaker.operations("CreateTrainingJob").length).to.equal(before);
  });

  it("a restart loses nothing: a job whose follower died is finished by the next training delivery into its bucket",
    async () => {
      const first = await push("amazon_sagemaker_train_xgboost", { modelName: "before-restart", bucket: "sm-training",
        objective: "binary:logistic", awsInstanceType: "ml.m4.xlarge" }).expect(200);
      expect(first.body.looker.success).to.equal(true);
      const lost = sagemaker.operations("CreateTrainingJob").pop().TrainingJobName;
      // The process ends: its followers stop; SageMaker finishes the job meanwhile.
      trainingFollowers.stopAll();
      await trainingFollowers.idle();
      sagemaker.finish(lost, "Completed");
      trainingFollowers.restart();
      expect(s3.bytes("sm-training", markerKey(lost))).to.not.equal(undefined);
      const mails = smtp.received.length;
      await push("amazon_sagemaker_train_xgboost", { modelName: "after-restart", bucket: "sm-training",
        objective: "binary:logistic", awsInstanceType: "ml.m4.xlarge" }).expect(200);
      await eventually(() => smtp.received.some((m, i) => i >= mails &&
        m.parsed.subject === "The model before-restart has been created"), 10_000, "the lost job's model");
      expect(sagemaker.models.has("before-restart")).to.equal(true);
      await eventually(() => s3.bytes("sm-training", markerKey(lost)) === undefined, 5000, "its marker removed");
    });

  it("a bucket in a region without the algorithm is refused before any data moves", () => {
    expect(() => xgboostImage("xx-nowhere-1")).to.throw(/not offered in the bucket's region xx-nowhere-1/);
  });

  it("a large delivery is streamed to S3 in parts (constant memory), header stripped", async () => {
    const row = "1,0.25,0.5,0.75,some text to make the row longer than a few bytes\n";
    const rows = Math.ceil(12 * 1024 * 1024 / row.length);
    const download = await startDownloadServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/csv" });
      res.write("label,a,b,c,d\n");
      let sent = 0;
      const more = () => {
        while (sent < rows) {
          sent++;
          if (!res.write(row)) { return void res.once("drain", more); }
        }
        res.end();
      };
      more();
    });
    try {
      const res = await post("/actions/amazon_sagemaker_train_xgboost/execute", { type: "query", data: params,
        form_params: { modelName: "big-xgb", bucket: "sm-training", objective: "binary:logistic",
          awsInstanceType: "ml.m4.xlarge", format: "csv" },
        scheduled_plan: { title: "Big", download_url: `${download.url}/big.csv` } }).expect(200);
      expect(res.body.looker.success, JSON.stringify(res.body)).to.equal(true);
      const name = sagemaker.operations("CreateTrainingJob").pop().TrainingJobName;
      const stored = s3.bytes("sm-training", `${name}/train`)!;
      expect(stored.length).to.equal(rows * row.length);
      expect(stored.subarray(0, row.length).toString()).to.equal(row);
    } finally {
      await download.close();
    }
  });
});
