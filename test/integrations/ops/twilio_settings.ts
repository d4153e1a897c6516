// Twilio's two integrations as the suite-wide tests run them (test/helpers/suite_settings.ts): an
// account SID, numbers and phone cells shaped as Twilio's own, which the hub checks before a call.
import { TWILIO_FROM, TWILIO_SID, TWILIO_TOKEN, TwilioFake } from "../../fakes/twilio_api";
import { SuiteSettings } from "../../helpers/suite_settings";

const ACCOUNT = { accountSid: `AC${"0".repeat(32)}`, from: "+15005550006" };
const PHONE = "+15550100042";

export const settings: SuiteSettings = {
  integrations: ["twilio", "twilio_message"],
  vendorEnv: (url) => ({ TWILIO_API_URL: url }),
  shapedParams: () => ({ twilio: ACCOUNT, twilio_message: ACCOUNT }),
  shapedFields: { twilio: { to: PHONE } },
  tagValues: { phone: PHONE },
  async lookerShapes() {
    const twilio = await new TwilioFake().start();
    const data = { accountSid: TWILIO_SID, authToken: TWILIO_TOKEN, from: TWILIO_FROM };
    return {
      env: { TWILIO_API_URL: twilio.url("/") },
      deliveries: {
        twilio: { data, form: { to: "+15550100001" } },
        twilio_message: { data, form: { message: "Revenue is down" } },
      },
      stop: () => twilio.stop(),
    };
  },
};
