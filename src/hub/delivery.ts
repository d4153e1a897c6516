// The data of a delivery, whichever way it came: inside the execute body ("push") or at
// a one-time download URL ("url"). Integrations read it through this interface and
// never need to know which; the kinds that implement it are in src/data/delivery/.
import { Readable } from "stream";
export type DeliverySource = "push" | "url";

export interface Delivery {
  readonly source: DeliverySource;
  /**
   * The Looker format (`csv`, `json_detail`, ...): what Looker said, made exact by
   * `resolveDeliveryFormat` (src/hub/format_resolution.ts) before the integration runs.
   */
  format: string | undefined;
  readonly mimetype: string | undefined;
  /** The decoded bytes, with backpressure. Call it once. */
  stream(): Promise<Readable>;
  /**
   * How many bytes `stream()` gives, when the source said so before sending them (a download's
   * Content-Length, a spooled attachment); undefined when unknown. Ask after `stream()`.
   */
  knownSize?(): number | undefined;
  /** The first byte of the data that is not JSON whitespace, without consuming anything. */
  firstSignificantByte(): Promise<number | undefined>;
  /** Told how many rows a row reader (or an integration counting itself) read, for metrics. */
  noteRows?(count: number): void;
}

