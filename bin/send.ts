// `npm run send -- <integration> [options]`: sends one delivery to a hub as Looker would, prints
// the answer and exits 0 on success, 1 when the hub answers a failure, 2 when it cannot ask.
// Without --data it sends a built-in sample (the console's). See `--help`.
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { ConfigError, environmentWithDotenv, loadConfig } from "../src/config";
import { DeliveryChoice, executeBody } from "../src/console/looker_body";
import { candidateFormats, isFormat, narrowByJsonStart, needsJsonSniff } from "../src/hub/formats";
import { ACTION_TYPES, ActionType } from "../src/hub/action_request";
import { generateApiKey } from "../src/server/auth";

const USAGE = `Usage: npm run send -- <integration> [options]

  --data FILE          the data to send (default: a built-in sample)
  --sample ID          a built-in sample: users (default for queries), dashboard_pdf, dashboard_png
  --format F           the Looker format (csv, json_detail, wysiwyg_pdf...; default: from the file or sample)
  --type T             query (default), dashboard or cell
  --param k=v          an admin param (repeatable)
  --form k=v           a form field (repeatable)
  --tag field=t1,t2    LookML tags on a sample field (repeatable)
  --value V            a cell action's value
  --state S            the user's stored state (data.state_json)
  --url                deliver on a one-time download URL the hub serves (needs CONSOLE_ENABLED there)
  --dry-run            check and report what would be sent, sending nothing (X-Hub-Dry-Run: true)
  --webhook-id ID      Looker's X-Looker-Webhook-Id (default: a new random one, a new delivery); the same
                       id again replays one delivery (docs/exactly_once.md)
  --hub URL            the hub (default: BASE_URL, else http://localhost:8080)
  --key KEY            its API key (default: made from INTEGRATION_SERVICE_SECRET)
  --looker-version V   the Looker version to play (default: newest)
  --json               print the hub's JSON answer as it came
`;

class UsageError extends Error {}

interface Options {
  integration: string;
  choice: DeliveryChoice;
  dataFile?: string;
  hub?: string;
  key?: string;
  lookerVersion?: string;
  json: boolean;
  /** --dry-run: the hub checks and reports, writes nothing (docs/dry_run.md). */
  dryRun: boolean;
  /** --webhook-id: replay a delivery under its id; else each run is a new delivery. */
  webhookId?: string;
  /** --type was given (else a PDF or PNG, or a dashboard sample, makes it a dashboard). */
  typeGiven: boolean;
}

function pair(text: string, flag: string): [string, string] {
  const at = text.indexOf("=");
  if (at <= 0) { throw new UsageError(`${flag} takes key=value, not "${text}".`); }
  return [text.slice(0, at), text.slice(at + 1)];
}

export function parseArgs(argv: string[]): Options {
  const choice: DeliveryChoice = { type: "query", params: {}, formParams: {}, tags: {} };
  const options: Partial<Options> = { json: false, dryRun: false, choice, typeGiven: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) { throw new UsageError(`${arg} needs a value.`); }
      return next;
    };
    switch (arg) {
      case "--data": options.dataFile = value(); break;
      case "--sample": choice.sample = value(); break;
      case "--format": choice.format = value(); break;
      case "--type": {
        const type = value();
        if (!ACTION_TYPES.includes(type as ActionType)) { throw new UsageError(`--type is query, dashboard or cell.`); }
        choice.type = type as ActionType;
        options.typeGiven = true;
        break;
      }
      case "--param": { const [k, v] = pair(value(), arg); choice.params![k] = v; break; }
      case "--form": { const [k, v] = pair(value(), arg); choice.formParams![k] = v; break; }
      case "--tag": { const [k, v] = pair(value(), arg); choice.tags![k] = v.split(",").map((t) => t.trim()); break; }
      case "--value": choice.value = value(); break;
      case "--state": choice.state = value(); break;
      case "--url": choice.download = "url"; break;
      case "--hub": options.hub = value().replace(/\/+$/, ""); break;
      case "--key": options.key = value(); break;
      case "--looker-version": options.lookerVersion = value(); break;
      case "--json": options.json = true; break;
      case "--dry-run": options.dryRun = true; break;
      case "--webhook-id": options.webhookId = value(); break;
      default:
        if (arg.startsWith("--") || options.integration) { throw new UsageError(`Unknown argument "${arg}".`); }
        options.integration = arg;
    }
  }
  if (!options.integration) { throw new UsageError("Name the integration to send to."); }
  if (choice.format && !isFormat(choice.format)) { throw new UsageError(`"${choice.format}" is not a Looker format.`); }
  if (!options.typeGiven && /^dashboard_/.test(choice.sample ?? "")) { choice.type = "dashboard"; }
  return options as Options;
}

/** The format of a file, from --format, else its extension and (for JSON) its first character. */
function fileFormat(file: string, bytes: Buffer, given?: string): string {
  if (given) { return given; }
  let candidates = candidateFormats({ extension: path.extname(file) });
  if (needsJsonSniff(candidates)) {
    candidates = narrowByJsonStart(candidates, bytes.toString("utf8", 0, 64).trim()[0]);
  }
  if (!candidates.length) { throw new UsageError(`Cannot tell the format of ${file} from its name: add --format.`); }
  return candidates[0];
}

function defaults(options: Options): { hub: string; key: string } {
  let config;
  try {
    config = loadConfig(environmentWithDotenv(process.env), "development");
  } catch (err) {
    if (!(err instanceof ConfigError) || (options.hub && options.key)) { throw err; }
    throw new UsageError(err.message);
  }
  if (!options.key && config.secretIsEphemeral) {
    throw new UsageError("Give the hub's API key with --key, or set INTEGRATION_SERVICE_SECRET to the hub's secret.");
  }
  return { hub: options.hub ?? config.baseUrl, key: options.key ?? generateApiKey(config.secret) };
}

async function postJson(url: string, key: string, body: unknown, lookerVersion?: string, dryRun = false,
                        webhookId?: string) {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: {
        "Authorization": `Token token="${key}"`,
        "Content-Type": "application/json",
        "User-Agent": lookerVersion ? `LookerOutgoingWebhook/${lookerVersion}` : "looker-integration-service-send",
        "X-Looker-Webhook-Id": webhookId ?? crypto.randomBytes(16).toString("hex"),
        "X-Looker-Instance": "npm-run-send",
        ...(dryRun ? { "X-Hub-Dry-Run": "true" } : {}),
      },
      body: JSON.stringify(body),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new UsageError(`Could not reach the hub at ${new URL(url).origin}: ${cause?.code ?? cause?.message ?? err}.`);
  }
  const text = await response.text();
  let json: any;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: response.status, json, text, requestId: response.headers.get("x-request-id") ?? "" };
}

async function run(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(USAGE);
    return 0;
  }
  const options = parseArgs(argv);
  const { hub, key } = defaults(options);
  const choice = options.choice;
  if (options.dataFile) {
    const bytes = fs.readFileSync(options.dataFile);
    choice.file = { name: path.basename(options.dataFile), base64: bytes.toString("base64") };
    choice.format = fileFormat(options.dataFile, bytes, choice.format);
    if (!options.typeGiven && /pdf|png/.test(choice.format)) { choice.type = "dashboard"; }
  } else if (choice.type !== "cell" && !choice.sample) {
    choice.sample = choice.type === "dashboard" ? "dashboard_pdf" : "users";
  }
  let body: unknown;
  if (choice.download === "url" && choice.type !== "cell") {
    const built = await postJson(`${hub}/console/api/body`, key, choice, options.lookerVersion);
    if (built.status !== 200) {
      process.stderr.write(`The hub could not make a download URL (HTTP ${built.status}): ` +
        `${built.json?.error ?? built.text.slice(0, 200)}\n`);
      return 2;
    }
    body = built.json.body;
  } else {
    body = executeBody(choice);
  }
  const url = `${hub}/actions/${encodeURIComponent(options.integration)}/execute`;
  const answer = await postJson(url, key, body, options.lookerVersion, options.dryRun, options.webhookId);
  if (options.json) { process.stdout.write(`${answer.text.trim()}\n`); }
  const looker = answer.json?.looker;
  if (!looker) {
    const error = answer.json?.error ?? answer.text.slice(0, 200);
    process.stderr.write(`The hub answered HTTP ${answer.status}: ${error}\n`);
    return 2;
  }
  if (!options.json) {
    const out = looker.success ? process.stdout : process.stderr;
    out.write(`${looker.success ? "Success" : "Failed"}: ${looker.message ?? ""}\n`);
    for (const [field, message] of Object.entries(looker.validation_errors ?? {})) {
      out.write(`  ${field}: ${message}\n`);
    }
    if (looker.state) { out.write(`State: ${JSON.stringify(looker.state)}\n`); }
    out.write(`Request id: ${answer.requestId}\n`);
  }
  return looker.success ? 0 : 1;
}

if (require.main === module) {
  run(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err) => {
    if (err instanceof UsageError) {
      const usage = /^Could not reach/.test(err.message) ? "" : `\n${USAGE}`;
      process.stderr.write(`${err.message}\n${usage}`);
    } else {
      process.stderr.write(`Could not send: ${(err as Error).message}\n`);
    }
    process.exitCode = 2;
  });
}
