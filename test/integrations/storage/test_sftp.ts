// sftp through the real app against OpenSSH's sshd (a child process on a loopback port with a
// generated host key), key auth, a TCP proxy that cuts the connection, and a 1 MiB tmpfs.
import { expect } from "chai";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { parseSftpAddress } from "../../../src/integrations/sftp/sftp_address";
import { startDownloadServer } from "../../fakes/download_server";
import { CuttingTcpProxy } from "../../fakes/fault_proxy";
import { sharedSshd, Sshd } from "../../fakes/sshd";
import request from "supertest";
import { authHeader, TestApp } from "../../helpers/app";
import { execute, form } from "../../helpers/execute";
import { csvBuffer, csvBytes, FIXTURE_CSV, lookerRequest, storageApp } from "../../helpers/storage";

const MiB = 1024 * 1024;

describe("sftp (OpenSSH sshd)", () => {
  let sshd: Sshd;
  let hub: TestApp;
  let params: Record<string, string>;
  const fields = (extra: Record<string, string> = {}, port = sshd.port, dir = sshd.root) =>
    ({ address: `sftp://127.0.0.1:${port}${dir}/`, username: sshd.user, ...extra });
  const files = (dir = sshd.root) => fs.readdirSync(dir).sort();

  before(async () => {
    sshd = await sharedSshd();
    hub = storageApp();
  });
  beforeEach(() => {
    sshd.reset();
    params = { sftp_private_key: sshd.clientKey, sftp_host_key_fingerprint: sshd.hostFingerprint };
  });

  it("offers the official form", async () => {
    const answer = await form(hub.app, "sftp", { data: {} });
    expect(answer.fields.map((f: any) => f.name)).to.deep.equal(["address", "username", "password", "filename"]);
  });

  it("writes a CSV push with the admin's key, checking the host key; no temporary file stays", async () => {
    const answer = await execute(hub.app, "sftp",
      lookerRequest("query_csv_push", params, fields({ filename: "weekly {date}" })));
    expect(answer.looker.success).to.equal(true);
    const [name] = files();
    expect(name).to.match(/^weekly \d{4}-\d\d-\d\d\.csv$/);
    expect(answer.looker.message).to.equal(`Wrote ${FIXTURE_CSV.length} bytes to sftp://127.0.0.1:${sshd.port}` +
      `${sshd.root}/${name}.`);
    expect(fs.readFileSync(path.join(sshd.root, name), "utf8")).to.equal(FIXTURE_CSV);
    expect(files()).to.have.length(1);
  });

  it("streams a 12 MiB download_url delivery and replaces an older file of the same name", async () => {
    fs.writeFileSync(path.join(sshd.root, "big.csv"), "old");
    const download = await startDownloadServer((_req, res) => { res.writeHead(200); csvBytes(12 * MiB).pipe(res); });
    try {
      const body = lookerRequest("query_url", params, fields({ filename: "big", format: "csv" }));
      (body.scheduled_plan as any).download_url = `${download.url}/once`;
      const answer = await execute(hub.app, "sftp", body);
      expect(answer.looker.success).to.equal(true);
      expect(fs.readFileSync(path.join(sshd.root, "big.csv")).equals(await csvBuffer(12 * MiB))).to.equal(true);
      expect(files()).to.deep.equal(["big.csv"]);
    } finally {
      await download.close();
    }
  });

  it("refuses a server presenting another host key, naming both fingerprints", async () => {
    const expected = `SHA256:${crypto.createHash("sha256").update("another key").digest("base64").replace(/=+$/, "")}`;
    const answer = await execute(hub.app, "sftp", lookerRequest("query_csv_push",
      { ...params, sftp_host_key_fingerprint: expected }, fields({ filename: "x" })));
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.message).to.equal("The SFTP server in \"Address\" presented the host key " +
      `${sshd.hostFingerprint}, not the expected ${expected}: nothing was sent. If the server's key was changed on ` +
      "purpose, update the \"Host key fingerprint\" setting; otherwise someone may be intercepting the connection.");
    expect(files()).to.deep.equal([]);
  });

  it("a connection cut mid-upload: a clear message, nothing under the final name, the hub still delivers", async () => {
    const proxy = await new CuttingTcpProxy(sshd.port).start();
    try {
      proxy.cutAfter = 2 * MiB;
      const download = await startDownloadServer((_req, res) => { res.writeHead(200); csvBytes(8 * MiB).pipe(res); });
      try {
        const body = lookerRequest("query_url", params, fields({ filename: "cut", format: "csv" }, proxy.port));
        (body.scheduled_plan as any).download_url = `${download.url}/once`;
        const answer = await execute(hub.app, "sftp", body);
        expect(answer.looker.success).to.equal(false);
        expect(answer.looker.message).to.equal("The connection to the SFTP server in \"Address\" was cut " +
          "before the file was complete; nothing was written under the file's name. Try again later.");
        expect(files()).to.not.include("cut.csv");
      } finally {
        await download.close();
      }
    } finally {
      await proxy.stop();
    }
    const after = await execute(hub.app, "sftp",
      lookerRequest("query_csv_push", params, fields({ filename: "after" })));
    expect(after.looker.success).to.equal(true);
  });

  it("a full disk: says the server ran out of space and removes the partial file", async function () {
    // Mounting a tmpfs needs root (CI runs as root): elsewhere the case is pending, not passed.
    if (!sshd.fullDisk) { this.skip(); }
    const download = await startDownloadServer((_req, res) => { res.writeHead(200); csvBytes(3 * MiB).pipe(res); });
    try {
      const body = lookerRequest("query_url", params,
        fields({ filename: "full", format: "csv" }, sshd.port, sshd.fullDisk));
      (body.scheduled_plan as any).download_url = `${download.url}/once`;
      const answer = await execute(hub.app, "sftp", body);
      expect(answer.looker.success).to.equal(false);
      expect(answer.looker.message).to.equal("The SFTP server in \"Address\" ran out of space (its disk is " +
        "full or the user's quota is used up) while writing the file; the partial file was removed. " +
        "Free space on the server and send again.");
      expect(fs.readdirSync(sshd.fullDisk)).to.deep.equal([]);
    } finally {
      await download.close();
    }
  });

  it("says what is wrong: the folder, the login, the address, a private host", async () => {
    const noDir = await execute(hub.app, "sftp",
      lookerRequest("query_csv_push", params, fields({}, sshd.port, `${sshd.root}/missing`)));
    expect(noDir.looker.message).to.equal("The folder in \"Address\" does not exist on the SFTP server. " +
      "Create it, or fix the folder in the address.");
    const password = await execute(hub.app, "sftp", lookerRequest("query_csv_push",
      { sftp_host_key_fingerprint: sshd.hostFingerprint }, fields({ password: "guess" })));
    expect(password.looker.message).to.equal("The SFTP server in \"Address\" refused the login of the user in " +
      "\"Username\" with the password. Check the username and password (or the key set by your admin).");
    expect(password.looker.validation_errors).to.have.property("password");
    const otherKey = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey
      .export({ type: "pkcs1", format: "pem" }).toString();
    const wrongKey = await execute(hub.app, "sftp",
      lookerRequest("query_csv_push", { ...params, sftp_private_key: otherKey }, fields()));
    expect(wrongKey.looker.message).to.match(/refused the login of the user in "Username" with the private key/);
    const noPassword = await execute(hub.app, "sftp", lookerRequest("query_csv_push", {}, fields()));
    expect(noPassword.looker.validation_errors).to.have.property("password");
    const badAddress = await execute(hub.app, "sftp",
      lookerRequest("query_csv_push", params, fields({ address: "ftp://example.com/x/" })));
    expect(badAddress.looker.message).to.equal("\"Address\" must start with sftp://.");
    const guarded = storageApp({ ALLOW_PRIVATE_URLS: "false" });
    const refused = await execute(guarded.app, "sftp", lookerRequest("query_csv_push", params, fields()));
    expect(refused.looker.message).to.match(/127\.0\.0\.1, a loopback address/);
    expect(files()).to.deep.equal([]);
  });

  // docs/dry_run.md: the dry run logs in and reads the folder (stat), as a delivery would reach it, writing nothing.
  it("a dry run logs in and reads the folder, writing nothing; a wrong login or folder fails it", async () => {
    const dry = (p: Record<string, string>, f: Record<string, string>) => request(hub.app).post("/actions/sftp/execute")
      .set("Authorization", authHeader()).set("X-Hub-Dry-Run", "true").send(lookerRequest("query_csv_push", p, f))
      .then((res) => res.body.looker);
    const ok = await dry(params, fields());
    expect(ok.success, ok.message).to.equal(true);
    expect(ok.message).to.match(/^Dry run, nothing was sent to SFTP: the SFTP server took the login and has the folder \(read, not written\); it would get/);
    expect((await dry(params, fields({}, sshd.port, `${sshd.root}/missing`))).message)
      .to.match(/^The folder in "Address" does not exist on the SFTP server\. Create it, or fix the folder/);
    fs.writeFileSync(path.join(sshd.root, "plain"), "x");
    // A file where the folder should be: the folder's stat fails (OpenSSH) or finds no folder.
    expect((await dry(params, fields({}, sshd.port, `${sshd.root}/plain`))).message)
      .to.match(/does not exist on the SFTP server|is a file on the SFTP server, not a folder/);
    const password = await dry({ sftp_host_key_fingerprint: sshd.hostFingerprint }, fields({ password: "guess" }));
    expect(password.message).to.match(/refused the login of the user in "Username" with the password/);
    expect(files()).to.deep.equal(["plain"]);
  });

  it("parses addresses", () => {
    expect(parseSftpAddress("sftp://files.example.com:2222/drop/in")).to.deep.equal(
      { host: "files.example.com", port: 2222, directory: "/drop/in/" });
    expect(parseSftpAddress("files.example.com"))
      .to.deep.equal({ host: "files.example.com", port: 22, directory: "/" });
    expect(parseSftpAddress("sftp://h/~/up/")).to.deep.include({ directory: "up/" });
    expect(() => parseSftpAddress("sftp://user:pw@h/")).to.throw(/own fields/);
  });

  // Official (src/actions/sftp/test_sftp.ts): "errors if there is no address", "errors if the input has
  // no attachment", "sends right body to filename and address" and "sends to right filename if specified"
  // (there the typed name stays bare; the official hub never listed SFTP, so this hub's rule stays:
  // see the README's differences).
  it("the official cases: no address, no data, the title's name, a typed name", async () => {
    const noAddress = await execute(hub.app, "sftp", lookerRequest("query_csv_push", params, { username: sshd.user }));
    expect(noAddress.looker.success).to.equal(false);
    expect(noAddress.looker.validation_errors).to.have.property("address");
    const noData = await execute(hub.app, "sftp", lookerRequest("query_no_results", params, fields()));
    expect(noData.looker.message).to.match(/^Looker sent no data to write/);
    expect(files()).to.deep.equal([]);
    const titled = await execute(hub.app, "sftp", lookerRequest("query_csv_push", params, fields()));
    expect(titled.looker.success).to.equal(true);
    const typed = await execute(hub.app, "sftp",
      lookerRequest("query_csv_push", params, fields({ filename: "mywackyfilename" })));
    expect(typed.looker.success).to.equal(true);
    expect(files()).to.deep.equal(["Weekly revenue.csv", "mywackyfilename.csv"]);
    expect(fs.readFileSync(path.join(sshd.root, "Weekly revenue.csv"), "utf8")).to.equal(FIXTURE_CSV);
    for (const f of files()) { fs.rmSync(path.join(sshd.root, f)); }
  });

  // Official (src/actions/sftp/test_sftp.ts): "errors with bad paths": each is refused before any connection.
  it("refuses the official hub's bad addresses", () => {
    expect(() => parseSftpAddress("sftp:/host/path/")).to.throw(/is not an SFTP address/);
    expect(() => parseSftpAddress("ftp://host/path/")).to.throw(/must start with sftp/);
    expect(() => parseSftpAddress("http://host/path/")).to.throw(/must start with sftp/);
    expect(() => parseSftpAddress("sftp/host/path/")).to.throw(/is not an SFTP address/);
    expect(() => parseSftpAddress("/host/path/")).to.throw(/no host name/);
    expect(parseSftpAddress("sftp.example.com:2222/x")).to.deep.include({ host: "sftp.example.com", port: 2222 });
  });
});
