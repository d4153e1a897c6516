// DigitalOcean's API as the droplet action uses it: POST /v2/droplets/{id}/actions with a
// Bearer token, answering 201 with the action, or DigitalOcean's error bodies `{id, message}`.
import { HttpReceiver, Received, Reply } from "./http_receiver";

export const DO_TOKEN = "dop_v1_test0123456789";

export class DigitalOceanFake extends HttpReceiver {
  /** Droplets in the account and their power status. */
  droplets = new Map<string, "active" | "off">([["101", "active"], ["102", "active"], ["103", "off"]]);
  private nextAction = 9000;

  constructor() {
    super();
    this.handler = (r) => this.route(r);
  }

  private static error(status: number, id: string, message: string): Reply {
    return { status, headers: { "content-type": "application/json" }, body: JSON.stringify({ id, message }) };
  }

  private route(r: Received): Reply {
    if (r.headers.authorization !== `Bearer ${DO_TOKEN}`) {
      return DigitalOceanFake.error(401, "unauthorized", "Unable to authenticate you.");
    }
    if (r.method === "GET" && r.path === "/v2/account") {
      return { status: 200, body: JSON.stringify({ account: { email: "ops@example.com", status: "active" } }) };
    }
    const match = /^\/v2\/droplets\/(\d+)\/actions$/.exec(r.path);
    if (r.method !== "POST" || !match) { return DigitalOceanFake.error(404, "not_found", "Not found."); }
    if (!/^application\/json/.test(String(r.headers["content-type"]))) {
      return DigitalOceanFake.error(415, "unsupported_media_type", "Content-Type must be application/json.");
    }
    const body = JSON.parse(r.body.toString("utf8"));
    if (body.type !== "power_off") { return DigitalOceanFake.error(422, "unprocessable_entity", "Bad action type."); }
    const state = this.droplets.get(match[1]);
    if (!state) {
      return DigitalOceanFake.error(404, "not_found", "The resource you were accessing could not be found.");
    }
    if (state === "off") {
      return DigitalOceanFake.error(422, "unprocessable_entity", "Droplet is already powered off.");
    }
    this.droplets.set(match[1], "off");
    const action = { id: this.nextAction++, status: "in-progress", type: "power_off", resource_id: Number(match[1]) };
    return { status: 201, headers: { "content-type": "application/json" }, body: JSON.stringify({ action }) };
  }

  /** Droplet ids that were asked to power off, in order. */
  get poweredOff(): string[] {
    return this.received.filter((r) => r.method === "POST").map((r) => r.path.split("/")[3]);
  }
}
