// The base of every integration: what Looker sees (the declarations at the top of each
// subclass) and what it does (`form()` and `execute()`).
import * as fs from "fs";
import * as path from "path";
import { ActionForm } from "./action_form";
import { ActionRequest, ActionType } from "./action_request";
import { ActionResponse } from "./action_response";
import { isAtLeast, LookerVersion } from "./looker_version";
import type { OAuthDeclaration } from "./oauth/oauth_declaration";

export type Format =
  "txt" | "csv" | "inline_json" | "json" | "json_label" | "json_detail" | "json_detail_lite_stream" |
  "xlsx" | "html" | "wysiwyg_pdf" | "assembled_pdf" | "wysiwyg_png" | "csv_zip";
export const ALL_FORMATS: readonly Format[] = [
  "txt", "csv", "inline_json", "json", "json_label", "json_detail", "json_detail_lite_stream",
  "xlsx", "html", "wysiwyg_pdf", "assembled_pdf", "wysiwyg_png", "csv_zip",
];
/** The official hub's default minimum Looker version: older Lookers see the same list there as here. */
export const DEFAULT_MINIMUM_LOOKER_VERSION = "5.5.0";

export type Formatting = "formatted" | "unformatted";
export type VisualizationFormatting = "apply" | "noapply";
export const ALL_FORMATTINGS: readonly Formatting[] = ["formatted", "unformatted"];
export const ALL_VISUALIZATION_FORMATTINGS: readonly VisualizationFormatting[] = ["apply", "noapply"];
export type DownloadSetting = "push" | "url";

export interface Param {
  name: string;
  label: string;
  description: string;
  required: boolean;
  sensitive: boolean;
  user_attribute_name?: string;
  per_user?: boolean;
  /** Delegated OAuth: the Looker page (relative to Looker) where the admin installs the vendor app. */
  delegate_oauth_url?: string;
}

/** Looker's entry kinds; the official Segment Group sends a `tag` and an `any_tag` in one entry. */
export type RequiredField = { tag: string; any_tag?: string[] } | { any_tag: string[] } | { all_tags: string[] };

/** What a version-dependent declaration is computed from. */
export interface DefinitionContext {
  lookerVersion: LookerVersion;
}

export type Declared<T> = T | ((context: DefinitionContext) => T);

/** The JSON definition Looker receives in the action list. */
export interface IntegrationDefinition {
  name: string;
  label: string;
  description: string;
  icon_data_uri: string | null;
  url: string;
  form_url: string | null;
  params: Param[];
  required_fields: RequiredField[];
  supported_action_types: ActionType[];
  supported_formats: Format[];
  /** Absent when the integration does not restrict it, as the official hub's definitions leave it out. */
  supported_formattings?: Formatting[];
  /** Absent when the integration does not restrict it, as the official hub's definitions leave it out. */
  supported_visualization_formattings?: VisualizationFormatting[];
  supported_download_settings: DownloadSetting[];
  uses_oauth: boolean;
  delegate_oauth: boolean;
  /** The v2 login's token exchange (`POST /actions/<name>/oauth_token`), for integrations that offer it. */
  token_url?: string;
}

/** What the hub's own dry run checks (src/data/rows/dry_run_report.ts), for an integration without one. */
export const GENERIC_DRY_RUN_CHECKS = "the settings and the form's values, and the data Looker sent (bytes, rows, " +
  "the first row with its values masked)";

export abstract class Integration {
  abstract readonly name: string;
  abstract readonly label: string;
  abstract readonly description: string;
  /** Absolute path of an .svg or .png beside the class; see `iconBeside`. */
  abstract readonly icon: string;
  abstract readonly params: Param[];
  abstract readonly supportedActionTypes: ActionType[];
  readonly supportedFormats: Declared<Format[]> = [];
  /**
   * The formattings it takes. None (the default) or every one is no restriction: the definition
   * then leaves the key out, as the official hub's does for actions that declare none.
   */
  readonly supportedFormattings: Formatting[] = [];
  /** The visualization formattings it takes; none or every one leaves the key out, as above. */
  readonly supportedVisualizationFormattings: VisualizationFormatting[] = [];
  readonly supportedDownloadSettings: DownloadSetting[] = ["push"];
  readonly requiredFields: RequiredField[] = [];
  /** Lookers older than this do not see the integration; the official hub's default is 5.5.0. */
  readonly minimumSupportedLookerVersion: string = DEFAULT_MINIMUM_LOOKER_VERSION;
  readonly usesOauth: boolean = false;
  /** Looker itself logs in to the vendor (a param's `delegate_oauth_url`) and sends the tokens as state. */
  readonly delegateOauth: boolean = false;
  /**
   * False for a name kept only to answer schedules still pointing at it (a retired integration):
   * not in the action list, but its form and execute are answered.
   */
  readonly listed: boolean = true;
  /** Per-user login: declare it and the hub adds the routes, sealed state and refresh (docs/oauth.md). */
  readonly oauth?: OAuthDeclaration;

  /** The form Looker shows before a delivery; integrations without one leave it out. */
  form?(request: ActionRequest): Promise<ActionForm>;

  /**
   * The form as an execute checks it (field names and `required`), when building it must
   * not repeat the vendor calls `form()` makes (listing every channel on each delivery).
   */
  validationForm?(request: ActionRequest): Promise<ActionForm>;

  /** Delivers the request; throw a `UserError` for anything the user can fix. */
  abstract execute(request: ActionRequest): Promise<ActionResponse>;

  /**
   * A dry run of the delivery (docs/dry_run.md): checks what can be checked without writing and
   * answers what would have been sent. Without it, the hub reads the data and reports what it holds.
   */
  dryRun?(request: ActionRequest): Promise<ActionResponse>;

  /**
   * For an integration without a dry run of its own: tries the credentials or the address where
   * the form does not ask the vendor anything (an SMTP relay's login, a webhook URL), writing
   * nothing; answers what it found, in a sentence the hub's dry-run report starts with.
   */
  dryRunPreflight?(request: ActionRequest): Promise<string>;

  /** What the dry run checks, in a sentence, for the docs and the console. */
  readonly dryRunChecks: string = GENERIC_DRY_RUN_CHECKS;

  get hasForm(): boolean { return typeof this.form === "function"; }

  /** An OAuth integration whose client is not configured is not offered to Looker. */
  get needsSetup(): boolean { return !!this.oauth && !this.oauth.client; }

  isVisibleTo(lookerVersion: LookerVersion): boolean {
    return isAtLeast(lookerVersion, this.minimumSupportedLookerVersion);
  }

  formatsFor(context: DefinitionContext): Format[] {
    const declared = this.supportedFormats;
    return typeof declared === "function" ? declared(context) : declared;
  }
}

/**
 * An integration that takes whatever file Looker makes: query results and dashboards, in every
 * format, formatted or not, pushed or at a download URL (storage, webhooks, tickets, mail). It
 * declares the rest (name, label, params...) and overrides any of these it narrows.
 */
export abstract class FileIntegration extends Integration {
  readonly supportedActionTypes: ActionType[] = ["query", "dashboard"];
  readonly supportedFormats: Declared<Format[]> = [...ALL_FORMATS];
  readonly supportedFormattings: Formatting[] = ["formatted", "unformatted"];
  readonly supportedVisualizationFormattings: VisualizationFormatting[] = ["apply", "noapply"];
  readonly supportedDownloadSettings: DownloadSetting[] = ["push", "url"];
}

/** The absolute path of an icon file that sits beside the integration's source file. */
export function iconBeside(dirname: string, file: string): string {
  const here = path.join(dirname, file);
  if (fs.existsSync(here)) { return here; }
  // Compiled code runs from dist/src/...; the icon stays in src/... unless the build copied it.
  return here.replace(`${path.sep}dist${path.sep}src${path.sep}`, `${path.sep}src${path.sep}`);
}

/** Reads an icon file once and turns it into a data URI. */
export function iconDataUri(file: string): string {
  const ext = path.extname(file).toLowerCase();
  const mime = ext === ".svg" ? "image/svg+xml" : ext === ".png" ? "image/png" : undefined;
  if (!mime) { throw new Error(`Icon ${file} must be an .svg or .png file.`); }
  return `data:${mime};base64,${fs.readFileSync(file).toString("base64")}`;
}
