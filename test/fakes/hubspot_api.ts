// HubSpot's CRM v3 batch update on 127.0.0.1, as HubSpot answers it: Bearer private-app
// tokens, at most 100 inputs, unknown ids reported in a 207, an invalid email (or another
// invalid value) failing the whole batch with a 400 VALIDATION_ERROR, unknown properties
// refused, and 429s with HubSpot's rate-limit headers when a test scripts them.
import { JsonVendor, VendorReply, VendorRequest } from "./json_vendor";

export const HUBSPOT_TOKEN = "pat-na1-test-token";

export class FakeHubspot extends JsonVendor {
  /** Ids HubSpot does not know. */
  unknownIds = new Set<string>();
  /** Properties that exist; others get PROPERTY_DOESNT_EXIST. Undefined: every property exists. */
  properties?: Set<string>;
  /** Every input HubSpot updated, in order. */
  readonly updated: Array<{ id: string; properties: Record<string, string> }> = [];

  constructor() { super((req) => this.batchUpdate(req)); }

  /** Batch update requests (any answer), with their inputs. */
  get batches(): Array<Array<{ id: string; properties: Record<string, string> }>> {
    return this.to(/\/batch\/update$/).map((r) => r.body?.inputs ?? []);
  }

  private batchUpdate(req: VendorRequest): VendorReply {
    if (!/^\/crm\/v3\/objects\/(contacts|companies)\/batch\/update$/.test(req.path) || req.method !== "POST") {
      return { status: 404, body: { status: "error", message: "Not found" } };
    }
    if (req.headers.authorization !== `Bearer ${HUBSPOT_TOKEN}`) {
      return { status: 401, body: { status: "error", category: "INVALID_AUTHENTICATION",
        message: "Authentication credentials not found." } };
    }
    const inputs: Array<{ id: string; properties: Record<string, string> }> = req.body?.inputs ?? [];
    if (inputs.length > 100) {
      return { status: 400, body: { status: "error", category: "VALIDATION_ERROR", message: "Too many inputs" } };
    }
    const checks: object[] = [];
    for (const input of inputs) {
      for (const [name, value] of Object.entries(input.properties)) {
        if (this.properties && !this.properties.has(name)) {
          checks.push({ isValid: false, message: `Property "${name}" does not exist`, error: "PROPERTY_DOESNT_EXIST",
            name });
        } else if (/email/.test(name) && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value)) {
          checks.push({ isValid: false, message: `Email address ${value} is invalid`, error: "INVALID_EMAIL", name });
        }
      }
    }
    if (checks.length) {
      return { status: 400, body: { status: "error", category: "VALIDATION_ERROR", correlationId: "c-1",
        message: `Property values were not valid: ${JSON.stringify(checks)}` } };
    }
    const missing = inputs.filter((i) => this.unknownIds.has(i.id)).map((i) => i.id);
    const done = inputs.filter((i) => !this.unknownIds.has(i.id));
    this.updated.push(...done);
    const results = done.map((i) => ({ id: i.id, properties: i.properties, updatedAt: "2026-12-01T00:00:00Z" }));
    if (missing.length) {
      return { status: 207, body: { status: "COMPLETE", results, numErrors: 1, errors: [{ status: "error",
        category: "OBJECT_NOT_FOUND", message: "Could not get some objects, they may be deleted or not exist.",
        context: { ids: missing } }] } };
    }
    return { status: 200, body: { status: "COMPLETE", results } };
  }
}
