// The JSON envelope option of the webhook: the schedule's metadata, then the data, streamed.
// JSON formats are embedded as they are; text formats as a JSON string; binary formats as
// base64. The bytes pass through in chunks, so the envelope costs no memory per row.
import { StringDecoder } from "string_decoder";
import { Readable, Transform } from "stream";
import { ActionRequest } from "../../hub/action_request";

const JSON_FORMATS = new Set(["json", "json_label", "json_detail", "json_detail_lite_stream", "inline_json"]);
const TEXT_FORMATS = new Set(["csv", "txt", "html"]);

export type DataEncoding = "json" | "text" | "base64";

export function encodingOf(format: string | undefined, mimetype: string | undefined): DataEncoding {
  if (mimetype && /;\s*base64$/i.test(mimetype)) { return "base64"; }
  if (format && JSON_FORMATS.has(format)) { return "json"; }
  if (format && TEXT_FORMATS.has(format)) { return "text"; }
  return mimetype && /^(text\/|application\/json)/i.test(mimetype) ? "text" : "base64";
}

/** UTF-8 text to the inside of a JSON string; a character split across chunks is kept whole. */
function jsonStringBody(): Transform {
  const decoder = new StringDecoder("utf8");
  return new Transform({
    transform(chunk: Buffer, _enc, done) { done(null, JSON.stringify(decoder.write(chunk)).slice(1, -1)); },
    flush(done) { done(null, JSON.stringify(decoder.end()).slice(1, -1)); },
  });
}

/** Bytes to base64 in chunks, carrying the 0-2 bytes that do not fill a group. */
function base64Body(): Transform {
  let rest = Buffer.alloc(0);
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      const all = Buffer.concat([rest, chunk]);
      const whole = all.length - (all.length % 3);
      rest = all.subarray(whole);
      done(null, all.subarray(0, whole).toString("base64"));
    },
    flush(done) { done(null, rest.toString("base64")); },
  });
}

/** Metadata a receiver needs to know what it got; no params, no secrets. */
export function envelopeMetadata(request: ActionRequest, encoding: DataEncoding | null): Record<string, unknown> {
  const plan = request.scheduledPlan;
  return {
    type: request.type ?? null,
    format: request.format ?? null,
    webhook_id: request.webhookId ?? null,
    instance_id: request.instanceId ?? null,
    sent_at: new Date().toISOString(),
    scheduled_plan: plan ? {
      scheduled_plan_id: plan.scheduledPlanId ?? null,
      title: plan.title ?? null,
      type: plan.type ?? null,
      url: plan.url ?? null,
      query_id: plan.queryId ?? null,
      query: plan.query ?? null,
      filters_differ_from_look: plan.filtersDifferFromLook ?? false,
    } : null,
    data_encoding: encoding,
  };
}

/** `{...metadata, "data": <data>}` as a stream; `data` is null when Looker sent none. */
export function envelopeStream(request: ActionRequest, data: Readable | undefined): Readable {
  const encoding = data ? encodingOf(request.format, request.delivery?.mimetype) : null;
  const head = JSON.stringify(envelopeMetadata(request, encoding)).slice(0, -1) + ",\"data\":";
  async function* parts(): AsyncGenerator<Buffer | string> {
    yield head;
    if (!data) {
      yield "null";
    } else if (encoding === "json") {
      let sawBytes = false;
      for await (const chunk of data) { sawBytes = sawBytes || (chunk as Buffer).length > 0; yield chunk as Buffer; }
      if (!sawBytes) { yield "null"; }
    } else {
      yield "\"";
      const encoder = encoding === "text" ? jsonStringBody() : base64Body();
      data.once("error", (err) => encoder.destroy(err));
      yield* data.pipe(encoder);
      yield "\"";
    }
    yield "}";
  }
  return Readable.from(parts(), { objectMode: false });
}
