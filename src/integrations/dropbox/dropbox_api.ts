// Dropbox's HTTP API v2 (www.dropbox.com/developers/documentation/http/documentation): RPC calls
// on api.dropboxapi.com take and answer JSON; content calls on content.dropboxapi.com take the
// bytes as the body and their arguments in the Dropbox-API-Arg header.
import { DropboxSettings } from "../../config/oauth";
import { TokenRejectedError } from "../../hub/oauth/login_errors";
import { RetryableError } from "../../lib/errors";
import { HttpClient, HttpResponse } from "../../lib/http_client";
import { Logger } from "../../lib/logger";
import { dropboxFailure } from "./dropbox_errors";

/** JSON for an HTTP header: Dropbox wants every non-ASCII character escaped (\uXXXX). */
export function headerJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

export class DropboxApi {
  constructor(
    private readonly http: HttpClient, private readonly settings: DropboxSettings, private readonly token: string,
    private readonly logger?: Logger,
  ) {}

  /** An RPC call; answers the parsed JSON, or throws the sentence for a refusal about `what`. */
  async rpc<T = any>(route: string, args: unknown, what: string): Promise<T> {
    const response = await this.send(`${this.settings.apiUrl}2/${route}`, {
      "content-type": "application/json" }, JSON.stringify(args));
    return this.answer(response, what);
  }

  /** A content call with bytes; answers `accept`ed non-2xx responses too (the caller reads them). */
  async content(route: string, args: unknown, bytes: Buffer, what: string,
                accept?: (response: HttpResponse) => boolean): Promise<any> {
    const response = await this.send(`${this.settings.contentUrl}2/${route}`, {
      "content-type": "application/octet-stream", "dropbox-api-arg": headerJson(args) }, bytes);
    if (accept?.(response)) { return response; }
    return this.answer(response, what);
  }

  private send(url: string, headers: Record<string, string>, body: string | Buffer): Promise<HttpResponse> {
    return this.http.request({
      url, method: "POST", trusted: true, who: "Dropbox", logger: this.logger, body,
      headers: { authorization: `Bearer ${this.token}`, ...headers },
      acceptStatus: (s) => s < 500 && s !== 429 && s !== 408,
    });
  }

  private answer(response: HttpResponse, what: string): any {
    if (response.status === 401) { throw new TokenRejectedError("Dropbox refused the access token."); }
    if (response.status < 200 || response.status > 299) { throw dropboxFailure(response, what); }
    if (!response.body.length) { return null; }
    try {
      return response.json();
    } catch {
      throw new RetryableError(`Dropbox sent an answer that is not JSON (HTTP ${response.status}). Try again later.`);
    }
  }
}

const MAX_LIST_PAGES = 25;

/** Every folder of the user's Dropbox (all pages, up to 25 pages of 2,000 entries), by path. */
export async function listFolders(api: DropboxApi): Promise<{ paths: string[]; truncated: boolean }> {
  const paths: string[] = [];
  let page = await api.rpc("files/list_folder", { path: "", recursive: true, limit: 2000 }, "your folders");
  for (let pages = 1; ; pages++) {
    for (const entry of page.entries ?? []) {
      if (entry[".tag"] === "folder" && typeof entry.path_display === "string") { paths.push(entry.path_display); }
    }
    if (!page.has_more) { break; }
    if (pages >= MAX_LIST_PAGES) { return { paths: paths.sort(), truncated: true }; }
    page = await api.rpc("files/list_folder/continue", { cursor: page.cursor }, "your folders");
  }
  return { paths: paths.sort((a, b) => a.localeCompare(b)), truncated: false };
}
