// digitalocean_droplet as the suite-wide tests run it (test/helpers/suite_settings.ts), against its
// fake API. Each delivery stops the same droplets again: they are kept running so every one succeeds.
import { DigitalOceanFake, DO_TOKEN } from "../../fakes/digitalocean_api";
import { SuiteSettings } from "../../helpers/suite_settings";

export const settings: SuiteSettings = {
  integrations: ["digitalocean_droplet"],
  vendorEnv: (url) => ({ DIGITALOCEAN_API_URL: url }),
  tagValues: { digitalocean_droplet_id: "42" },
  async lookerShapes() {
    const digitalocean = await new DigitalOceanFake().start();
    const route = digitalocean.handler!;
    digitalocean.handler = (r) => {
      digitalocean.droplets.set("101", "active").set("102", "active");
      return route(r);
    };
    return {
      env: { DIGITALOCEAN_API_URL: digitalocean.url("/") },
      deliveries: { digitalocean_droplet: { data: { digitalocean_api_key: DO_TOKEN }, form: {} } },
      stop: () => digitalocean.stop(),
    };
  },
};
