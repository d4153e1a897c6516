// Braze's REST API on 127.0.0.1 (/users/track): Bearer REST API keys, at most 75 attribute
// objects, minor errors per object (index into `attributes`) as Braze reports them in a 201,
// and 429s with Braze's X-RateLimit-* headers when scripted.
import { JsonVendor, VendorReply, VendorRequest } from "./json_vendor";

export const BRAZE_KEY = "braze-rest-key-1";

export class FakeBraze extends JsonVendor {
  /** Ids whose objects Braze reports as minor errors. */
  badIds = new Set<string>();
  readonly tracked: Array<Record<string, unknown>> = [];

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
      }
    });
    return { status: 201, body: { attributes_processed: attributes.length - errors.length, message: "success",
      ...(errors.length ? { errors } : {}) } };
  }
}
