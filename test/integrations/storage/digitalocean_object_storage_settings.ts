// DigitalOcean Spaces as the suite-wide tests run it (test/helpers/suite_settings.ts): the suite's S3
// server stands for the region's endpoint.
import { expect } from "chai";
import { S3_KEY_ID, S3_SECRET } from "../../fakes/s3_server";
import { SuiteSettings } from "../../helpers/suite_settings";

export const settings: SuiteSettings = {
  integrations: ["digitalocean_object_storage"],
  vendorEnv: (url) => ({ DIGITALOCEAN_SPACES_ENDPOINT: url }),
  async lookerShapes(shared) {
    const s3 = await shared.s3();
    return {
      env: { DIGITALOCEAN_SPACES_ENDPOINT: s3.url },
      deliveries: { digitalocean_object_storage: { data: { access_key_id: S3_KEY_ID, secret_access_key: S3_SECRET,
        region: "nyc3" }, form: { bucket: "hub-shapes" } } },
      arrived: () => expect(s3.keys("hub-shapes").filter((k) => /^Weekly revenue\./.test(k)).length,
        "files reached Spaces").to.be.greaterThan(5),
    };
  },
};
