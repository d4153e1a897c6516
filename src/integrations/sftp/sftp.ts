// SFTP: the delivery streamed to a folder on an SSH server, written under a temporary name and
// renamed when complete. The official hub's form (address, username, password, filename), plus
// an admin's private key (no password in schedules) and the server's host key fingerprint.
import * as dns from "dns";
import * as net from "net";
import { openDeliveryFile } from "../../data/files/file_delivery";
import { requestFileName, wroteMessage } from "../../data/files/file_naming";
import { ActionForm, FormField } from "../../hub/action_form";
import { ActionRequest } from "../../hub/action_request";
import { ActionResponse } from "../../hub/action_response";
import { FileIntegration, iconBeside, Param } from "../../hub/integration";
import { UserError } from "../../lib/errors";
import { UrlGuard } from "../../lib/url_guard";
import { normaliseFingerprint, parseSftpAddress } from "./sftp_address";
import type { SftpTarget } from "./sftp_upload";

const FIELDS: FormField[] = [{
  name: "address", label: "Address", type: "string", required: true,
  description: "The server and folder: sftp://host/folder/ (sftp://host:2222/folder/ for another port).",
}, {
  name: "username", label: "Username", type: "string", required: true,
}, {
  name: "password", label: "Password", type: "string", sensitive: true,
  description: "Leave empty when your admin set a private key for this integration.",
}, {
  name: "filename", label: "Filename", type: "string",
  description: "Defaults to the schedule's title; {date} and {timestamp} are replaced. The format's extension " +
    "is added when missing.",
}];

export class SftpIntegration extends FileIntegration {
  readonly name = "sftp";
  readonly label = "SFTP";
  readonly description = "Write data files to a folder on an SFTP server.";
  readonly icon = iconBeside(__dirname, "sftp.svg");
  readonly params: Param[] = [{
    name: "sftp_private_key", label: "Private key",
    description: "Optional: an SSH private key (OpenSSH or PEM, unencrypted) to log in with instead of the form's " +
      "password. Add its public key to the server user's ~/.ssh/authorized_keys.",
    required: false, sensitive: true,
  }, {
    name: "sftp_host_key_fingerprint", label: "Host key fingerprint",
    description: "Optional but recommended: the server's SHA256 host key fingerprint (ssh-keyscan host | " +
      "ssh-keygen -lf -). A server presenting another key is refused.",
    required: false, sensitive: false,
  }];

  constructor(
    private readonly guard: UrlGuard, private readonly timeoutMs = 20_000,
    /** The longest the server may sit on one request once connected (HTTP_TOTAL_TIMEOUT_SECONDS). */
    private readonly totalTimeoutMs = 900_000,
  ) { super(); }

  async form(): Promise<ActionForm> { return new ActionForm(FIELDS); }

  readonly dryRunChecks = "the settings and the form's values; the server, as a delivery reaches it: the address " +
    "through the private-address guard, the host key against the admin's fingerprint, the login, and the folder, " +
    "read (stat) but not written, so that the user may write there is not proven; and the data Looker sent (bytes, " +
    "rows, the first row with its values masked)";

  /** Connects, logs in and reads the folder, writing nothing (sftp_upload.ts, sftpCheck). */
  async dryRunPreflight(request: ActionRequest): Promise<string> {
    const { sftpCheck } = await import("./sftp_upload");
    await sftpCheck(await this.target(request, ""));
    return "the SFTP server took the login and has the folder (read, not written)";
  }

  async execute(request: ActionRequest): Promise<ActionResponse> {
    const address = parseSftpAddress(request.formParams.address);
    const target = await this.target(request, "");
    // The official hub never listed SFTP, so no schedule moves over: names keep this hub's rules.
    const file = await openDeliveryFile(request,
      requestFileName(request, request.formParams.filename?.trim() || undefined));
    // ssh2 is loaded on first use: start-up time counts, and many hubs never use SFTP.
    const { sftpUpload } = await import("./sftp_upload");
    const { bytes, path } = await sftpUpload({ ...target, fileName: file.name }, file.stream, request.logger);
    const port = address.port === 22 ? "" : `:${address.port}`;
    return ActionResponse.ok(wroteMessage(bytes, `sftp://${address.host}${port}${path.startsWith("/") ? "" : "/~/"}${path}`));
  }

  /** Where and how to log in, from the form and the admin's params; the address checked by the guard. */
  private async target(request: ActionRequest, fileName: string): Promise<SftpTarget> {
    const address = parseSftpAddress(request.formParams.address);
    const privateKey = (request.params.sftp_private_key ?? "").replace(/\\n/g, "\n").trim() || undefined;
    const password = request.formParams.password ?? "";
    if (!privateKey && !password) {
      throw new UserError("Please fill in \"Password\" (or ask your admin to set a private key for SFTP).",
        { password: "Password is required." });
    }
    const fingerprint = (request.params.sftp_host_key_fingerprint ?? "").trim();
    return {
      address: await this.checkedAddress(address.host), port: address.port, directory: address.directory, fileName,
      username: (request.formParams.username ?? "").trim(), password, privateKey,
      fingerprint: fingerprint ? normaliseFingerprint(fingerprint) : undefined, timeoutMs: this.timeoutMs,
      totalTimeoutMs: this.totalTimeoutMs,
    };
  }

  /** The address to connect to: the host resolved once, every address checked like a user's URL. */
  private async checkedAddress(host: string): Promise<string> {
    let addresses: string[];
    try {
      addresses = net.isIP(host) ? [host] : (await dns.promises.lookup(host, { all: true })).map((a) => a.address);
    } catch {
      throw new UserError("The host in \"Address\" could not be found. Check the address.",
        { address: "Unknown host." });
    }
    const allowed = addresses.find((a) => !this.guard.problemWith(a));
    // The guard's own sentence says why an address is refused and how the admin allows it.
    if (!allowed || allowed !== addresses[0]) { await this.guard.check(`https://${host.includes(":") ? `[${host}]` : host}/`); }
    if (!allowed) { throw new UserError("The SFTP host in \"Address\" is not allowed."); }
    return allowed;
  }
}
