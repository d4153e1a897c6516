// HubSpot's CRM v3 batch update on 127.0.0.1, as HubSpot answers it: Bearer private-app
// tokens, at most 100 inputs, unknown ids reported in a 207, an invalid email (or another
// invalid value) failing the whole batch with a 400 VALIDATION_ERROR, unknown properties
// refused, and 429s with HubSpot's rate-limit headers when a test scripts them. The list read
// (GET /crm/v3/objects/<type>?limit=n) a dry run makes answers as HubSpot does: 401 for a token it
// does not know, 403 MISSING_SCOPES when the private app has no read scope (readScope false).
import { JsonVendor, VendorReply, VendorRequest } from "./json_vendor";

export const HUBSPOT_TOKEN = "pat-na1-test-token";

export class FakeHubspot extends JsonVendor {
  /** Ids HubSpot does not know. */
  unknownIds = new Set<string>();
  /** Properties that exist; others get PROPERTY_DOESNT_EXIST. Undefined: every property exists. */
  properties?: Set<string>;
  /** Whether the private app has the read scope of the objects (crm.objects.<type>.read). */
  readScope = true;
  /** Every input HubSpot updated, in order. */
  readonly updated: Array<{ id: string; properties: Record<string, string> }> = [];

  constructor() { super((req) => req.method === "GET" ? this.list(req) : this.batchUpdate(req)); }

  /** Batch update requests (any answer), with their inputs. */
  get batches(): Array<Array<{ id: string; properties: Record<string, string> }>> {
    return this.to(/\/batch\/update$/).map((r) => r.body?.inputs ?? []);
  }

  /** GET /crm/v3/objects/<type>: a page of records (the ones updated so far), or HubSpot's refusals. */
  private list(req: VendorRequest): VendorReply {
    const type = /^\/crm\/v3\/objects\/(contacts|companies)$/.exec(req.path)?.[1];
    if (!type) { return { status: 404, body: { status: "error", message: "Not found" } }; }
    const refused = this.unauthenticated(req);
    if (refused) { return refused; }
    if (!this.readScope) {
      return { status: 403, body: { status: "error", category: "MISSING_SCOPES", correlationId: "c-2",
        message: "This app hasn't been granted all required scopes to make this call.",
        errors: [{ message: "One or more of the following scopes are required.",
          context: { requiredGranularScopes: [`crm.objects.${type}.read`] } }] } };
    }
    const limit = Math.min(Number(req.query.get("limit") ?? 10) || 10, 100);
    return { status: 200, body: { results: this.updated.slice(0, limit).map((r) => ({ id: r.id,
      properties: {}, createdAt: "2026-12-01T00:00:00Z", updatedAt: "2026-12-01T00:00:00Z", archived: false })) } };
  }

  private unauthenticated(req: VendorRequest): VendorReply | undefined {
    return req.headers.authorization === `Bearer ${HUBSPOT_TOKEN}` ? undefined : { status: 401, body: {
      status: "error", category: "INVALID_AUTHENTICATION", correlationId: "c-3",
      message: "Authentication credentials not found." } };
  }

  private batchUpdate(req: VendorRequest): VendorReply {
    if (!/^\/crm\/v3\/objects\/(contacts|companies)\/batch\/update$/.test(req.path) || req.method !== "POST") {
      return { status: 404, body: { status: "error", message: "Not found" } };
    }
    const refused = this.unauthenticated(req);
    if (refused) { return refused; }
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
