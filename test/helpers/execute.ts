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

export async function execute(app: any, name: string, payload: Payload): Promise<any> {
  const res = await request(app).post(`/actions/${name}/execute`)
    .set("Authorization", authHeader()).set(LOOKER_HEADERS).send(payload);
  return JSON.parse(res.text);
}

export async function form(app: any, name: string, payload: Payload = {}): Promise<any> {
  const res = await request(app).post(`/actions/${name}/form`)
    .set("Authorization", authHeader()).set(LOOKER_HEADERS).send(payload);
  return JSON.parse(res.text);
}
