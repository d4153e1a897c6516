// Braze's REST API on 127.0.0.1 (/users/track): Bearer REST API keys, at most 75 attribute
// objects, minor errors per object (index into `attributes`) as Braze reports them in a 201,
// and 429s with Braze's X-RateLimit-* headers when scripted. User profiles (`profiles`, seeded by a
// test) change as Braze documents its attributes object: values are set, `{inc}` adds, and custom
// attribute arrays are sets of at most 25 values: `add` appends a value, or moves it to the end
// when it is there already; `remove` takes it out; `_update_existing_only` leaves unknown users alone.
import { JsonVendor, VendorReply, VendorRequest } from "./json_vendor";

export const BRAZE_KEY = "braze-rest-key-1";

export class FakeBraze extends JsonVendor {
  /** Ids whose objects Braze reports as minor errors. */
  badIds = new Set<string>();
  readonly tracked: Array<Record<string, unknown>> = [];
  /** Profiles by external_id (or braze_id), as Braze keeps them. */
  readonly profiles = new Map<string, Record<string, unknown>>();

  constructor() { super((req) => this.track(req)); }

  get batches(): Array<Array<Record<string, unknown>>> {
    return this.to(/\/users\/track$/).map((r) => r.body?.attributes ?? []);
  }

  private track(req: VendorRequest): VendorReply {
    if (req.path !== "/users/track" || req.method !== "POST") {
      return { status: 404, body: { message: "Not Found" } };
    }
    if (req.headers.authorization !== `Bearer ${BRAZE_KEY}`) {
      return { status: 401, body: { message: "Invalid API key: wrong" } };
    }
    const attributes: Array<Record<string, unknown>> = req.body?.attributes ?? [];
    if (attributes.length > 75) {
      return { status: 400, body: { message: "Valid data must be provided in the 'attributes', 'events', or " +
        "'purchases' fields.", errors: ["attributes array length exceeds 75"] } };
    }
    const errors: object[] = [];
    attributes.forEach((attr, index) => {
      const id = String(attr.external_id ?? attr.braze_id);
      if (this.badIds.has(id)) {
        errors.push({ type: "'external_id' contains invalid characters", input_array: "attributes", index });
      } else {
        this.tracked.push(attr);
        this.apply(id, attr);
      }
    });
    return { status: 201, body: { attributes_processed: attributes.length - errors.length, message: "success",
      ...(errors.length ? { errors } : {}) } };
  }

  /** One attributes object applied to its profile as Braze applies it. */
  private apply(id: string, attr: Record<string, unknown>): void {
    let profile = this.profiles.get(id);
    if (!profile) {
      if (attr._update_existing_only === true) { return; }
      profile = {};
      this.profiles.set(id, profile);
    }
    for (const [name, value] of Object.entries(attr)) {
      if (["external_id", "braze_id", "_update_existing_only"].includes(name)) { continue; }
      const op = value && typeof value === "object" && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
      if (op && ("add" in op || "remove" in op)) {
        let list = Array.isArray(profile[name]) ? [...profile[name] as unknown[]] : [];
        for (const v of (op.add as unknown[]) ?? []) { list = [...list.filter((x) => x !== v), v]; }
        list = list.filter((x) => !((op.remove as unknown[]) ?? []).includes(x));
        profile[name] = list.slice(-25);
      } else if (op && "inc" in op) {
        profile[name] = Number(profile[name] ?? 0) + Number(op.inc);
      } else {
        profile[name] = Array.isArray(value) ? [...new Set(value)].slice(-25) : value;
      }
    }
  }
}
