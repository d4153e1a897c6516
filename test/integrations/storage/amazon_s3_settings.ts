// Amazon S3 as the suite-wide tests run it (test/helpers/suite_settings.ts): the suite's S3 server.
import { expect } from "chai";
import { S3_KEY_ID, S3_SECRET } from "../../fakes/s3_server";
import { SuiteSettings } from "../../helpers/suite_settings";

export const settings: SuiteSettings = {
  integrations: ["amazon_s3"],
  vendorEnv: (url) => ({ AWS_S3_ENDPOINT: url }),
  async lookerShapes(shared) {
    const s3 = await shared.s3();
    return {
      env: { AWS_S3_ENDPOINT: s3.url },
      deliveries: { amazon_s3: { data: { access_key_id: S3_KEY_ID, secret_access_key: S3_SECRET, region: "us-east-1" },
        form: { bucket: "hub-shapes", path: "looker" } } },
      // Without a typed name, buckets name each file by the title and the format's extension (official rule).
      arrived: () => expect(s3.keys("hub-shapes").filter((k) => /^looker\/Weekly revenue\./.test(k)).length,
        "files reached S3").to.be.greaterThan(5),
    };
  },
};
