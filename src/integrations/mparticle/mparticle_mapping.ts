// mParticle's row rules (the official hub's tag set): identity tags become user_identities;
// with user_data every other field but the event name is a user attribute "looker_<field>";
// with event_data each row is one custom event: mp_event_name its name, mp_custom_event_type /
// mp_event_id / mp_timestamp_unixtime_ms / mp_session_id / mp_session_uuid its data,
// mp_user_attribute a user attribute, mp_device_info device info (the dimension's own name is the
// device_info key; a name mParticle does not know is dropped, as the official hub drops it),
// mp_custom_attribute a custom attribute "looker_<field>", and every other field is not sent.
// Where the official hub sends names mParticle does not know (customerid is right; other2..4
// are other_id_2..4), we send mParticle's.
import { allFields, cellValue, missingTagMessage, quoteTags, tagsOf } from "../../data/rows/detail_fields";
import type { Mapped, RowMapper, RowMapping } from "../../data/rows/row_mapping";
import { JsonDetailFields, JsonDetailRow } from "../../data/rows/rows";
import { UserError } from "../../lib/errors";
import { MparticleRawWriter } from "./mparticle_raw_writer";

export type DataType = "user_data" | "event_data";

export const IDENTITY_TAGS: Record<string, string> = {
  mp_customer_id: "customerid", mp_email: "email", mp_facebook: "facebook", mp_google: "google",
  mp_microsoft: "microsoft", mp_twitter: "twitter", mp_yahoo: "yahoo", mp_other: "other",
  mp_other2: "other_id_2", mp_other3: "other_id_3", mp_other4: "other_id_4",
};

const EVENT_DATA_TAGS: Record<string, string> = {
  mp_custom_event_type: "custom_event_type", mp_event_id: "event_id",
  mp_timestamp_unixtime_ms: "timestamp_unixtime_ms", mp_session_id: "session_id", mp_session_uuid: "session_uuid",
};

/** device_info keys of mParticle's Events API. */
const DEVICE_INFO_KEYS = new Set([
  "brand", "product", "device", "android_uuid", "device_manufacturer", "platform", "os_version", "device_model",
  "screen_height", "screen_width", "screen_dpi", "device_country", "locale_language", "locale_country",
  "network_country", "network_carrier", "network_code", "network_mobile_country_code", "timezone_offset",
  "build_identifier", "http_header_user_agent", "ios_advertising_id", "push_token", "cpu_architecture", "is_tablet",
  "push_notification_sound_enabled", "push_notification_vibrate_enabled", "radio_access_technology",
  "supports_telephony", "has_nfc", "bluetooth_enabled", "bluetooth_version", "ios_idfv", "android_advertising_id",
  "build_version_release", "limit_ad_tracking", "is_dst", "roku_advertising_id", "roku_publisher_id",
  "microsoft_advertising_id", "microsoft_publisher_id", "fire_advertising_id",
]);

/** The official hub's name for an event without an mp_event_name field. */
export const DEFAULT_EVENT_NAME = "looker_custom_event";

type Pairs = Array<[field: string, key: string]>;

export interface MparticleBatch {
  events?: Array<{ data: Record<string, unknown>; event_type: "custom_event" }>;
  user_attributes: Record<string, unknown>;
  user_identities: Record<string, unknown>;
  device_info?: Record<string, unknown>;
  schema_version: 2;
  environment: string;
  source_request_id: string;
}

function present(value: unknown): boolean {
  return value !== null && value !== undefined && value !== "";
}

function collect(row: JsonDetailRow, pairs: Pairs): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, key] of pairs) {
    const value = cellValue(row[field]);
    if (present(value)) { out[key] = value; }
  }
  return out;
}

export class MparticleMapper implements RowMapper<MparticleBatch> {
  private readonly identities: Pairs = [];
  private readonly userAttributes: Pairs = [];
  private readonly eventData: Pairs = [];
  private readonly deviceInfo: Pairs = [];
  private readonly customAttributes: Pairs = [];
  private eventName?: string;
  /** On a row worker, the rows lying whole in a chunk are written from their bytes. */
  readonly raw?: MparticleRawWriter;

  /** `requestIdPrefix` makes each batch's source_request_id, which mParticle deduplicates on. */
  constructor(fields: JsonDetailFields, hidden: Set<string>, private readonly dataType: DataType,
              private readonly environment: string, private readonly requestIdPrefix: string) {
    for (const field of allFields(fields)) {
      if (hidden.has(field.name)) { continue; }
      const tag = tagsOf(field).find((t) => t.startsWith("mp_")) ?? "";
      const attribute = `looker_${field.name}`;
      if (IDENTITY_TAGS[tag]) {
        this.identities.push([field.name, IDENTITY_TAGS[tag]]);
      } else if (tag === "mp_event_name") {
        this.eventName = field.name;
      } else if (dataType === "user_data" || tag === "mp_user_attribute") {
        this.userAttributes.push([field.name, attribute]);
      } else if (EVENT_DATA_TAGS[tag]) {
        this.eventData.push([field.name, EVENT_DATA_TAGS[tag]]);
      } else if (tag === "mp_device_info") {
        const key = field.name.slice(field.name.indexOf(".") + 1);
        if (DEVICE_INFO_KEYS.has(key)) { this.deviceInfo.push([field.name, key]); }
      } else if (tag === "mp_custom_attribute") {
        this.customAttributes.push([field.name, attribute]);
      }
    }
    if (this.identities.length === 0) {
      throw new UserError(missingTagMessage(Object.keys(IDENTITY_TAGS).slice(0, 3),
        `(or another mParticle identity tag: ${quoteTags(Object.keys(IDENTITY_TAGS).slice(3))}) to say which ` +
        "user each row is about"));
    }
    if (dataType === "user_data") {
      this.raw = MparticleRawWriter.for(this.userAttributes, this.identities, environment, requestIdPrefix);
    }
  }

  map(row: JsonDetailRow, rowNumber: number): Mapped<MparticleBatch> {
    const identities = collect(row, this.identities);
    if (Object.keys(identities).length === 0) { return { rejected: "no user identity" }; }
    const batch: MparticleBatch = {
      user_attributes: collect(row, this.userAttributes), user_identities: identities,
      schema_version: 2, environment: this.environment, source_request_id: `${this.requestIdPrefix}${rowNumber}`,
    };
    if (this.dataType === "event_data") {
      const name = this.eventName ? cellValue(row[this.eventName]) : undefined;
      const data: Record<string, unknown> = {
        event_name: present(name) ? String(name) : DEFAULT_EVENT_NAME, custom_event_type: "other",
        source_message_id: batch.source_request_id,
        ...collect(row, this.eventData), custom_attributes: collect(row, this.customAttributes),
      };
      batch.events = [{ data, event_type: "custom_event" }];
      if (this.deviceInfo.length) { batch.device_info = collect(row, this.deviceInfo); }
    }
    return { record: batch };
  }
}

export interface MparticleMappingArgs {
  dataType: DataType;
  environment: string;
  requestIdPrefix: string;
}

/** mParticle's mapping for one delivery, as a row worker builds it (src/data/rows/row_mapping.ts). */
export function mparticleMapping(args: MparticleMappingArgs): RowMapping<MparticleBatch> {
  return { prepare: (fields, hidden) =>
    new MparticleMapper(fields, hidden, args.dataType, args.environment, args.requestIdPrefix),
    rawRows: args.dataType === "user_data" };
}

export const MPARTICLE_MAPPING_MODULE = __filename;
