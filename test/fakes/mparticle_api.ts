// mParticle's server-to-server bulk endpoint on 127.0.0.1 (/s2s/v2/bulkevents): HTTP Basic
// key:secret, at most 100 batches a request, answered 202; 429 with Retry-After when scripted.
import { JsonVendor, VendorReply, VendorRequest } from "./json_vendor";

export const MPARTICLE_KEY = { key: "mp-key", secret: "mp-secret" };

export class FakeMparticle extends JsonVendor {
  readonly received: Array<Record<string, any>> = [];

  constructor() { super((req) => this.bulk(req)); }

  /** What mParticle keeps: one batch per source_request_id (mParticle deduplicates batches on it). */
  get stored(): Array<Record<string, any>> {
    const byId = new Map<string, Record<string, any>>();
    for (const b of this.received) { if (!byId.has(b.source_request_id)) { byId.set(b.source_request_id, b); } }
    return [...byId.values()];
  }

  get requestsSizes(): number[] {
    return this.to(/bulkevents$/).map((r) => (Array.isArray(r.body) ? r.body.length : -1));
  }

  private bulk(req: VendorRequest): VendorReply {
    if (req.path !== "/s2s/v2/bulkevents" || req.method !== "POST") { return { status: 404 }; }
    const expected = `Basic ${Buffer.from(`${MPARTICLE_KEY.key}:${MPARTICLE_KEY.secret}`).toString("base64")}`;
    if (req.headers.authorization !== expected) {
      return { status: 401, body: { errors: [{ message: "Unauthorized" }] } };
    }
    if (!Array.isArray(req.body) || req.body.length > 100) {
      return { status: 400, body: { errors: [{ code: "BAD_REQUEST", message: "Up to 100 batches per request" }] } };
    }
    this.received.push(...req.body);
    return { status: 202 };
  }
}
