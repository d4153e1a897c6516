// aws_ec2_stop_instance as the suite-wide tests run it (test/helpers/suite_settings.ts), against its
// fake EC2 query API; instance ids shaped as EC2's own.
import { AWS_KEY_ID, AWS_SECRET, Ec2Fake } from "../../fakes/ec2_api";
import { SuiteSettings } from "../../helpers/suite_settings";

export const settings: SuiteSettings = {
  integrations: ["aws_ec2_stop_instance"],
  vendorEnv: (url) => ({ AWS_EC2_ENDPOINT: url }),
  shapedParams: () => ({ aws_ec2_stop_instance: { region: "us-east-1" } }),
  tagValues: { aws_resource_id: "i-0123456789abcdef0" },
  async lookerShapes() {
    const ec2 = await new Ec2Fake().start();
    return {
      env: { AWS_EC2_ENDPOINT: ec2.url("") },
      deliveries: { aws_ec2_stop_instance: { data: { access_key_id: AWS_KEY_ID, secret_access_key: AWS_SECRET,
        region: "us-east-1" }, form: {} } },
      stop: () => ec2.stop(),
    };
  },
};
