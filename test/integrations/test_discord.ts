// Discord through the real app against a fake of its Execute Webhook endpoint on 127.0.0.1 (the
// names discord.com and discordapp.com resolve there): what Discord received, its limits, its
// refusals and rate limits.
import { expect } from "chai";
import { DiscordIntegration } from "../../src/integrations/discord/discord";
import { DiscordFake, rateLimited, WEBHOOK_ID, WEBHOOK_PATH } from "../fakes/discord_api";
import { buildTestApp } from "../helpers/app";
import { execute, form, PLAN } from "../helpers/execute";
import { testHttpClient } from "../helpers/http";

const CSV = "Orders ID,Orders Total\n1,10.50\n2,7.00\n";

describe("discord integration", () => {
  let discord: DiscordFake;
  beforeEach(async () => { discord = await new DiscordFake().start(); });
  afterEach(async () => { await discord.stop(); });

  const hub = (maxFileBytes = 10 * 1024 * 1024) => buildTestApp([new DiscordIntegration(testHttpClient(),
    { domains: ["discord.com", "discordapp.com"], maxFileBytes })]).app;

  function body(fields: Record<string, string | undefined> = {}, data = CSV): any {
    return {
      type: "query", scheduled_plan: PLAN,
      form_params: { url: discord.webhookUrl("discord.com"), message: "Weekly orders @everyone", ...fields },
      attachment: { mimetype: "text/csv", extension: "csv", data },
    };
  }

  it("posts the message and the delivery as files[0], waiting for Discord's message", async () => {
    const answer = await execute(hub(), "discord", body());
    expect(answer.looker.success, answer.looker.message).to.equal(true);
    expect(answer.looker.message).to.match(/^Posted "Weekly revenue.*\.csv" \(\d+ bytes\) to Discord\.$/);
    expect(discord.received).to.have.length(1);
    const got = discord.received[0];
    expect(got.path).to.equal(`${WEBHOOK_PATH}?wait=true`);
    expect(got.headers.host).to.equal(`discord.com:${discord.port}`);
    // Sent as it is read (issue 30: no pass through disk first), a copy kept for a retry.
    expect(got.headers["transfer-encoding"]).to.equal("chunked");
    const [message] = discord.messages;
    expect(message.payload).to.deep.equal({ content: "Weekly orders @everyone", allowed_mentions: { parse: [] },
      attachments: [{ id: 0, filename: message.files[0].fileName }] });
    expect(message.files).to.have.length(1);
    expect(message.files[0].field).to.equal("files[0]");
    expect(message.files[0].contentType).to.match(/^text\/csv/);
    expect(message.files[0].data.toString()).to.equal(CSV);
  });

  it("posts the schedule's title when no message is typed, cut to Discord's 2000 characters", async () => {
    const app = hub();
    await execute(app, "discord", body({ message: undefined }));
    await execute(app, "discord", { ...body({ message: "" }), scheduled_plan: { ...PLAN, title: "T".repeat(2500) } });
    expect(discord.messages[0].payload.content).to.equal("Weekly revenue");
    expect(discord.messages[1].payload.content).to.have.length(2000);
  });

  it("refuses a typed message over 2000 characters on its field, before any call", async () => {
    const answer = await execute(hub(), "discord", body({ message: "x".repeat(2001) }));
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.validation_errors.message).to.include("at most 2,000 characters; this one has 2,001");
    expect(discord.received).to.have.length(0);
  });

  it("accepts Discord's other hosts and their subdomains", async () => {
    const app = hub();
    for (const host of ["discordapp.com", "canary.discord.com", "ptb.discordapp.com"]) {
      const answer = await execute(app, "discord", body({ url: discord.webhookUrl(host) }));
      expect(answer.looker.success, host).to.equal(true);
    }
    expect(discord.messages).to.have.length(3);
  });

  it("refuses a URL that is not on Discord's hosts, naming them, before any call", async () => {
    for (const url of [discord.url(WEBHOOK_PATH, "discord.com.example.net"), "not a url"]) {
      const answer = await execute(hub(), "discord", body({ url }));
      expect(answer.looker.success, url).to.equal(false);
      expect(answer.looker.validation_errors.url).to.include("discord.com (or a subdomain), discordapp.com");
    }
    expect(discord.received).to.have.length(0);
  });

  it("refuses a file over the upload limit: the request is cut before its end, Discord keeps nothing", async () => {
    const answer = await execute(hub(1000), "discord", body({}, `a,b\n${"1,2\n".repeat(2000)}`));
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.message).to.include("larger than 1000 bytes, the largest file this hub posts to a Discord");
    expect(discord.received).to.have.length(0);
  });

  it("says so when Discord refuses the file as too large (413, code 40005)", async () => {
    discord.maxFileBytes = 10;
    const answer = await execute(hub(), "discord", body());
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.message).to.equal("Discord refused the file as too large (HTTP 413: \"Request entity too " +
      "large\"). Filter the query to fewer rows or pick a more compact format; an operator can lower " +
      "DISCORD_MAX_FILE_SIZE to the server's limit so such files are refused before they are sent.");
  });

  it("says the webhook is unknown when Discord answers 404 Unknown Webhook or 401 Invalid Webhook Token", async () => {
    for (const path of [`/api/webhooks/999/x`, `/api/webhooks/${WEBHOOK_ID}/wrong`]) {
      const answer = await execute(hub(), "discord", body({ url: discord.url(path, "discord.com") }));
      expect(answer.looker.success).to.equal(false);
      expect(answer.looker.message).to.match(/^Discord does not know this webhook \(HTTP (404: "Unknown Webhook"|401: "Invalid Webhook Token")\)/);
      expect(answer.looker.validation_errors.url).to.equal("Copy the webhook URL again.");
    }
  });

  it("waits as Discord's 429 asks (retry_after in its body) and posts once", async () => {
    discord.reply(rateLimited(0.05));
    const answer = await execute(hub(), "discord", body());
    expect(answer.looker.success, answer.looker.message).to.equal(true);
    expect(discord.received).to.have.length(2);
    expect(discord.messages).to.have.length(1);
  });

  it("fails clearly when Discord keeps rate limiting", async () => {
    discord.reply(rateLimited(0.01), rateLimited(0.01), rateLimited(0.01));
    const answer = await execute(hub(), "discord", body());
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.message).to.include("Discord is rate limiting this webhook (HTTP 429)");
    expect(discord.messages).to.have.length(0);
  });

  it("gives up at once when Discord asks for a wait past HTTP_RETRY_AFTER_MAX_SECONDS", async () => {
    discord.reply(rateLimited(3600));
    const answer = await execute(hub(), "discord", body());
    expect(answer.looker.message).to.include("rate limiting");
    expect(discord.received).to.have.length(1);
  });

  it("posts a clicked cell as a message with its field, value and link", async () => {
    const answer = await execute(hub(), "discord", {
      type: "cell", scheduled_plan: { url: "https://looker.example.com/explore/x" },
      data: { value: "1050", rendered: "$1,050.00", field_label: "Orders Total" },
      form_params: { url: discord.webhookUrl("discord.com"), message: "Look at this" },
    });
    expect(answer.looker.success, answer.looker.message).to.equal(true);
    expect(discord.received[0].headers["content-type"]).to.equal("application/json");
    expect(discord.messages[0].payload).to.deep.equal({ allowed_mentions: { parse: [] },
      content: "Look at this\nOrders Total: $1,050.00\nhttps://looker.example.com/explore/x" });
  });

  it("streams a large delivery through whole", async () => {
    const big = `a,b\n${"12345678,abcdefgh\n".repeat(200_000)}`;
    const answer = await execute(hub(), "discord", body({}, big));
    expect(answer.looker.success, answer.looker.message).to.equal(true);
    expect(discord.messages[0].files[0].data.equals(Buffer.from(big))).to.equal(true);
  });

  it("offers its form and declares cell, query and dashboard", async () => {
    const f = await form(hub(), "discord");
    expect(f.fields.map((x: { name: string }) => x.name)).to.deep.equal(["url", "message"]);
    expect(f.fields[0]).to.include({ required: true, label: "Discord Webhook URL" });
    const definition = buildTestApp([new DiscordIntegration(testHttpClient(), { domains: [], maxFileBytes: 1 })])
      .registry.integrations[0];
    expect(definition.supportedActionTypes).to.deep.equal(["query", "dashboard", "cell"]);
  });
});
