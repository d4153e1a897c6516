// Firebase: the push notifications of Looker's mobile alerts, through Firebase Cloud Messaging's
// HTTP v1 API with the hub's own service account (FIREBASE_*). Named and shaped as the official
// hub's action; listed only when the service account is configured.
import { FirebaseSettings } from "../../config/ops";
import { ActionRequest, ActionType } from "../../hub/action_request";
import { ActionResponse } from "../../hub/action_response";
import {
  DownloadSetting, Format, Formatting, iconBeside, Integration, Param, VisualizationFormatting,
} from "../../hub/integration";
import { Attempt, outcomesResponse, tryEach } from "../../hub/target_outcomes";
import { AccessToken, serviceAccountToken } from "../../lib/google_service_account";
import { HttpClient } from "../../lib/http_client";
import { requestJson } from "../../lib/vendor_json";
import { alertNotice, AlertNotice, Device, deviceLabel, fcmMessage, fcmReason } from "./fcm_messages";

const SCOPE = "https://www.googleapis.com/auth/firebase.messaging";
const CONCURRENCY = 4;
/** A token is renewed this long before it expires. */
const TOKEN_MARGIN_MS = 60_000;

export interface FirebaseOptions {
  http: HttpClient;
  settings: FirebaseSettings;
  fcmApiUrl: string;
  tokenUrl: string;
}

export class FirebaseIntegration extends Integration {
  readonly name = "firebase";
  readonly label = "Firebase";
  readonly description = "Send Looker's mobile alert notifications through Firebase Cloud Messaging.";
  readonly icon = iconBeside(__dirname, "firebase.svg");
  readonly params: Param[] = [];
  readonly supportedActionTypes: ActionType[] = ["query"];
  readonly supportedFormats: Format[] = ["json_detail"];
  readonly supportedDownloadSettings: DownloadSetting[] = ["push", "url"];
  readonly supportedFormattings: Formatting[] = ["unformatted"];
  readonly supportedVisualizationFormattings: VisualizationFormatting[] = ["noapply"];
  readonly minimumSupportedLookerVersion = "22.3.0";
  private token?: AccessToken;

  constructor(private readonly options: FirebaseOptions) { super(); }

  readonly dryRunChecks = "the settings; the service account, signed in as Looker's connection test signs it in (an " +
    "access token minted, which writes nothing); and the data Looker sent (bytes, rows, the first row with its " +
    "values masked)";

  /** The service account, signed in as the connection test signs it in; no notification is sent. */
  async dryRunPreflight(request: ActionRequest): Promise<string> {
    await this.accessToken(request);
    return "Firebase's service account signs in";
  }

  async execute(request: ActionRequest): Promise<ActionResponse> {
    // Looker's connection test carries no alert; minting a token proves the service account.
    if (request.isTest) {
      await this.accessToken(request);
      return ActionResponse.ok("Firebase's service account signs in.");
    }
    const notice = alertNotice(request);
    if (!notice.devices.length) {
      // The official hub answers success here too: the alert fired, and nobody can receive it.
      return ActionResponse.ok("No notification sent: nobody following this alert has the Looker mobile app " +
        "signed in.");
    }
    const token = await this.accessToken(request);
    const outcomes = await tryEach(notice.devices, CONCURRENCY, deviceLabel,
      (device) => this.send(request, token, notice, device));
    request.logger.info("firebase notifications sent", {
      devices: outcomes.length, failed: outcomes.filter((o) => !o.ok).length,
    });
    return outcomesResponse(outcomes, {
      done: (t) => `Sent the notification to ${t}`, verb: "notify", noun: "device", where: " through Firebase",
    });
  }

  /** The service account's token, minted once and reused until shortly before it expires. */
  private async accessToken(request: ActionRequest): Promise<string> {
    if (!this.token || this.token.expiresAt - TOKEN_MARGIN_MS < Date.now()) {
      const s = this.options.settings;
      this.token = await serviceAccountToken(this.options.http, this.options.tokenUrl, {
        clientEmail: s.clientEmail, privateKey: s.privateKey, scopes: [SCOPE],
      }, request.logger, "Google (for Firebase)");
    }
    return this.token.accessToken;
  }

  private async send(request: ActionRequest, token: string, notice: AlertNotice, device: Device): Promise<Attempt> {
    const target = deviceLabel(device);
    const project = encodeURIComponent(this.options.settings.projectId);
    const result = await requestJson(this.options.http, {
      url: `${this.options.fcmApiUrl}v1/projects/${project}/messages:send`, method: "POST", trusted: true,
      who: "Firebase", logger: request.logger, body: JSON.stringify(fcmMessage(notice, device)),
      headers: { "authorization": `Bearer ${token}`, "content-type": "application/json" },
    });
    if (result.unavailable) {
      return { target, ok: false, detail: result.unavailable === "rate_limited"
        ? "Firebase's sending quota was reached; try again later" : "Firebase did not answer; try again later" };
    }
    if (result.status === 401) { this.token = undefined; }
    if (result.status >= 300) { return { target, ok: false, ...fcmReason(result.status, result.answer) }; }
    return typeof result.answer?.name === "string" ? { target, ok: true }
      : { target, ok: false, detail: "Firebase answered without a message name; try again later" };
  }
}
