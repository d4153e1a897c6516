// The three SageMaker integrations as the suite-wide tests run them (test/helpers/suite_settings.ts):
// the fake SageMaker takes the S3 server's keys, status mails go to the suite's SMTP server.
import { expect } from "chai";
import { trainingFollowers } from "../../../src/integrations/amazon_sagemaker/training_follower";
import { FakeSageMaker } from "../../fakes/sagemaker_api";
import { S3_KEY_ID, S3_SECRET } from "../../fakes/s3_server";
import { testCertificate } from "../../fakes/smtp_server";
import { SuiteSettings } from "../../helpers/suite_settings";

/** The status mail settings the hub checks before anything moves. */
const MAIL = { smtpPort: "587", user_email: "case@example.com", roleArn: "arn:aws:iam::123456789012:role/Case" };

export const settings: SuiteSettings = {
  integrations: ["amazon_sagemaker_infer", "amazon_sagemaker_train_xgboost", "amazon_sagemaker_train_linearlearner"],
  vendorEnv: (url) => ({ AWS_SAGEMAKER_ENDPOINT: url }),
  shapedParams: () => ({ amazon_sagemaker_infer: { ...MAIL, region: "us-east-1" },
    amazon_sagemaker_train_xgboost: MAIL, amazon_sagemaker_train_linearlearner: MAIL }),
  // Inference mails no one, as in the official hub, which still asks for the SMTP settings.
  unusedParams: { amazon_sagemaker_infer: ["smtpHost"] },
  async lookerShapes(shared) {
    const [smtp, s3] = [await shared.smtp(), await shared.s3()];
    const sagemaker = await new FakeSageMaker(S3_KEY_ID, S3_SECRET).start();
    const [host, port] = smtp.address.split(":");
    const params = (extra: Record<string, string> = {}) => ({ accessKeyId: S3_KEY_ID, secretAccessKey: S3_SECRET,
      roleArn: "arn:aws:iam::123456789012:role/Shapes", user_email: "ana@example.com", smtpHost: host, smtpPort: port,
      smtpFrom: "hub@example.com", smtpUser: "looker", smtpPass: "s3cret pass", ...extra });
    return {
      env: { AWS_SAGEMAKER_ENDPOINT: sagemaker.url(""), AWS_S3_ENDPOINT: s3.url, SMTP_CA_CERTIFICATE: testCertificate().cert },
      deliveries: {
        amazon_sagemaker_infer: { data: params({ region: "us-east-1" }), form: { modelName: "ModelA",
          bucket: "hub-shapes", awsInstanceType: "ml.m5.large", numInstances: "1", numStripColumns: "1" } },
        amazon_sagemaker_train_xgboost: { data: params(), form: { modelName: "shapes-xgb",
          bucket: "hub-shapes", objective: "binary:logistic", awsInstanceType: "ml.m4.xlarge" } },
        amazon_sagemaker_train_linearlearner: { data: params(), form: { modelName: "shapes-ll",
          bucket: "hub-shapes", predictorType: "regressor", awsInstanceType: "ml.m4.xlarge" } },
      },
      arrived: () => {
        expect(sagemaker.operations("CreateTrainingJob").length, "training jobs at SageMaker").to.be.greaterThan(1);
        expect(sagemaker.operations("CreateTransformJob").length, "transform jobs at SageMaker").to.be.greaterThan(1);
      },
      stop: async () => {
        // The training jobs started are followed in the background: no longer, once the fake stops.
        trainingFollowers.stopAll();
        await trainingFollowers.idle();
        trainingFollowers.restart();
        await sagemaker.stop();
      },
    };
  },
};
