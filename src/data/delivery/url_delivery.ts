// The "url" download setting: Looker gives a one-time `scheduled_plan.download_url` and the
// hub fetches the data itself. The status is checked before any byte reaches the
// integration; the body streams through with its backpressure, never buffered whole.
// The URL comes from the Looker instance the admin connected, so it is fetched as given.
// A download ends when Looker hangs up on the delivery (the request's signal), when it takes
// longer than the total limit, and when the source keeps under the minimum rate.
import * as http from "http";
import * as https from "https";
import { Readable } from "stream";
import { DEFAULT_DELIVERY_LIMITS, DeliveryLimits, ReadOnceDelivery } from "./read_once";
import { DownloadWatch, byteGuard, seconds } from "./download_watch";
import { abortReason } from "../../lib/abort_scope";
import { PayloadTooLargeError, UserError } from "../../lib/errors";

const MAX_REDIRECTS = 5;

export class UrlDelivery extends ReadOnceDelivery {
  readonly source = "url";
  readonly mimetype: string | undefined = undefined;
  /** The download's Content-Length, once its answer came. */
  private declared: number | undefined;

  constructor(
    private readonly url: string,
    public format: string | undefined,
    private readonly limits: DeliveryLimits = DEFAULT_DELIVERY_LIMITS,
    /** Aborted when Looker hangs up: the download stops. */
    private readonly signal?: AbortSignal,
  ) { super(); }

  knownSize(): number | undefined {
    return this.declared;
  }

  protected async open(): Promise<Readable> {
    if (this.signal?.aborted) { throw abortReason(this.signal); }
    const watch = new DownloadWatch(this.limits, this.signal);
    try {
      let url = this.url;
      for (let hop = 0; ; hop++) {
        const response = await this.get(url, watch);
        const status = response.res.statusCode ?? 0;
        const location = response.res.headers.location;
        if (status >= 300 && status < 400 && location && hop < MAX_REDIRECTS) {
          response.res.resume();
          response.req.destroy();
          url = new URL(location, url).toString();
          continue;
        }
        if (status !== 200) {
          response.res.resume();
          response.req.destroy();
          throw new UserError(
            `Looker's download URL answered HTTP ${status} instead of the data. The link works once and ` +
            "for one hour; send the schedule again, and if it keeps failing, ask your Looker admin to check " +
            "that this hub can reach Looker.",
          );
        }
        return this.body(response.req, response.res, watch);
      }
    } catch (err) {
      watch.stop();
      throw err;
    }
  }

  /** Sends the GET and resolves at the response headers, within the configured timeouts. */
  private get(url: string, watch: DownloadWatch): Promise<{ req: http.ClientRequest; res: http.IncomingMessage }> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return Promise.reject(new UserError("The download URL Looker sent is not a valid URL."));
    }
    const client = parsed.protocol === "https:" ? https : parsed.protocol === "http:" ? http : undefined;
    if (!client) { return Promise.reject(new UserError("The download URL Looker sent is not an http(s) URL.")); }
    const { connectTimeoutMs, idleTimeoutMs } = this.limits;
    return new Promise((resolve, reject) => {
      // A fresh connection per download: the URL is used once.
      const req = client.get(parsed, { agent: false, headers: { "accept-encoding": "identity" } });
      let failed = false;
      const fail = (err: Error) => {
        if (failed) { return; }
        failed = true;
        clearTimeout(connectTimer);
        watch.onFail(undefined);
        req.destroy();
        reject(err);
      };
      const connectTimer = setTimeout(() => fail(new UserError(
        `Could not connect to Looker's download URL within ${seconds(connectTimeoutMs)}. Try again later.`,
      )), connectTimeoutMs);
      req.once("socket", (socket) => {
        socket.once("connect", () => clearTimeout(connectTimer));
        socket.once("secureConnect", () => clearTimeout(connectTimer));
      });
      req.setTimeout(idleTimeoutMs, () => fail(new UserError(
        `Looker's download URL sent nothing for ${seconds(idleTimeoutMs)}. Try again later.`,
      )));
      req.once("error", (err: NodeJS.ErrnoException) => fail(new UserError(
        `Could not download the data from Looker's download URL (${err.code ?? err.message}). Try again later.`,
      )));
      // Last: an abort already pending fails at once, with every listener in place.
      watch.onFail(fail);
      req.once("response", (res) => {
        if (failed) { res.resume(); return; }
        clearTimeout(connectTimer);
        failed = true;
        watch.onFail(undefined);
        resolve({ req, res });
      });
    });
  }

  /** The response body with the idle timeout, the size limit and a clear error when cut off. */
  private body(req: http.ClientRequest, res: http.IncomingMessage, watch: DownloadWatch): Readable {
    const { maxBytes, idleTimeoutMs } = this.limits;
    const declared = Number(res.headers["content-length"]);
    const guard = byteGuard(maxBytes);
    const fail = (err: Error) => {
      watch.stop();
      if (!guard.destroyed) { guard.destroy(err); }
      req.destroy();
    };
    if (maxBytes && Number.isFinite(declared) && declared > maxBytes) {
      res.resume();
      fail(new PayloadTooLargeError(
        `The data at the download URL (${declared} bytes) is larger than this integration service accepts (${maxBytes} bytes).`,
      ));
      return guard;
    }
    if (Number.isSafeInteger(declared) && declared >= 0) { this.declared = declared; }
    watch.onFail(fail);
    watch.watchRate(res, guard);
    req.removeAllListeners("timeout");
    req.setTimeout(idleTimeoutMs, () => fail(new UserError(
      `The download from Looker stalled: no data for ${seconds(idleTimeoutMs)} after ${guard.bytes} bytes. Try again later.`,
    )));
    const cutOff = () => fail(new UserError(
      `The download from Looker was cut off after ${guard.bytes} bytes. Try again later.`,
    ));
    res.once("aborted", cutOff);
    res.once("error", cutOff);
    res.once("end", () => {
      watch.stop();
      if (!res.complete) { cutOff(); }
    });
    res.pipe(guard);
    // A consumer that stops early frees the connection.
    guard.once("close", () => {
      watch.stop();
      if (!res.complete) { req.destroy(); }
    });
    return guard;
  }
}
