// Sending one delivery as Looker would, with a chosen X-Looker-Webhook-Id, for the re-send tests:
// the same id twice is the same delivery sent again; another id is another delivery.
import request from "supertest";
import { authHeader } from "../helpers/app";
import { LOOKER_HEADERS, Payload, withoutRef } from "../helpers/execute";

export async function executeAs(app: any, name: string, payload: Payload, webhookId: string): Promise<any> {
  const res = await request(app).post(`/actions/${name}/execute`)
    .set("Authorization", authHeader()).set({ ...LOOKER_HEADERS, "X-Looker-Webhook-Id": webhookId }).send(payload);
  return withoutRef(JSON.parse(res.text));
}

/** A deep copy of a fake's state, to compare after a re-send. */
export function snapshot<T>(state: T): T {
  return JSON.parse(JSON.stringify(state, (_k, v) => v instanceof Map ? Object.fromEntries(v) :
    v instanceof Set ? [...v] : v));
}
