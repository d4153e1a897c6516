// mParticle as the suite-wide tests run it (test/helpers/suite_settings.ts).
import { FakeMparticle, MPARTICLE_KEY } from "../../fakes/mparticle_api";
import { SuiteSettings } from "../../helpers/suite_settings";

export const settings: SuiteSettings = {
  integrations: ["mparticle"],
  vendorEnv: (url) => ({ MPARTICLE_API_URL: url }),
  rowTags: { id: ["mp_customer_id"] },
  async lookerShapes() {
    const mparticle = await new FakeMparticle().start();
    return {
      env: { MPARTICLE_API_URL: mparticle.url },
      deliveries: { mparticle: { data: { apiKey: MPARTICLE_KEY.key, apiSecret: MPARTICLE_KEY.secret },
        form: { data_type: "user_data", environment: "development" } } },
      stop: () => mparticle.stop(),
    };
  },
};
