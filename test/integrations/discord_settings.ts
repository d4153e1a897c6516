// Discord as the suite-wide tests run it (test/helpers/suite_settings.ts): the webhook URL a user
// types points at the fake Execute Webhook endpoint, its host allowed through DISCORD_WEBHOOK_DOMAINS.
import { expect } from "chai";
import { DiscordFake } from "../fakes/discord_api";
import { SuiteSettings } from "../helpers/suite_settings";

export const settings: SuiteSettings = {
  integrations: ["discord"],
  vendorEnv: () => ({ DISCORD_WEBHOOK_DOMAINS: "127.0.0.1" }),
  async lookerShapes() {
    const discord = await new DiscordFake().start();
    return {
      env: { DISCORD_WEBHOOK_DOMAINS: "127.0.0.1" },
      deliveries: { discord: { data: {}, form: { url: discord.webhookUrl() },
        check: (sent) => discord.messages.at(-1)?.files[0]?.data.equals(sent) ? undefined : "other bytes arrived" } },
      arrived: () => expect(discord.messages.length, "messages reached Discord").to.be.greaterThan(0),
      stop: () => discord.stop(),
    };
  },
};
