// Looker-shaped execute and form requests through the real app.
import request from "supertest";
import { authHeader } from "./app";

export interface Payload {
  type?: string;
  scheduled_plan?: Record<string, unknown> | null;
  attachment?: Record<string, unknown> | null;
  data?: Record<string, unknown>;
  form_params?: Record<string, string>;
}

export const LOOKER_HEADERS = {
  "User-Agent": "LookerOutgoingWebhook/24.0.0",
  "X-Looker-Webhook-Id": "wh-7f3a",
  "X-Looker-Instance": "inst-1234",
};

export const PLAN = {
  scheduled_plan_id: 12, title: "Weekly revenue", type: "Look", url: "https://looker.example.com/looks/4",
  query_id: "55", query: { model: "ecommerce", view: "orders", fields: ["orders.created_month", "orders.count"] },
};

/** A failure's message ends with the reference of its log line (`(ref 1a2b3c4d)`). */
export const FAILURE_REF = / \(ref ([0-9a-f]{8})\)$/;

/**
 * A failed answer with the reference taken off the message into `looker.ref` (every failure
 * must have one), so tests compare the words the integration wrote.
 */
export function withoutRef<T>(answer: T): T {
  const looker = (answer as any)?.looker;
  if (!looker || looker.success !== false) { return answer; }
  const match = FAILURE_REF.exec(looker.message ?? "");
  if (!match) { throw new Error(`a failure without a reference: ${JSON.stringify(looker.message)}`); }
  return { ...answer, looker: { ...looker, message: looker.message.slice(0, match.index), ref: match[1] } };
}

/** An execute through the real app; a failure's reference is moved to `looker.ref` (see withoutRef). */
export async function execute(app: any, name: string, payload: Payload): Promise<any> {
  const res = await request(app).post(`/actions/${name}/execute`)
    .set("Authorization", authHeader()).set(LOOKER_HEADERS).send(payload);
  return withoutRef(JSON.parse(res.text));
}

export async function form(app: any, name: string, payload: Payload = {}): Promise<any> {
  const res = await request(app).post(`/actions/${name}/form`)
    .set("Authorization", authHeader()).set(LOOKER_HEADERS).send(payload);
  return JSON.parse(res.text);
}
