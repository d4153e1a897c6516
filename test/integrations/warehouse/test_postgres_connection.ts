// postgres connections through the real app against a real PostgreSQL: a wrong password, URLs
// refused before connecting (not postgres, a file parameter, a bad sslmode, a private address),
// TLS with the admin's CA, a pivoted query, a server that never answers, Looker's connection test.
import { expect } from "chai";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { execute } from "../../helpers/execute";
import { detailFields, warehousePush } from "../../helpers/warehouse";
import { data, FIELDS, hub, pg, postgresApp, ROWS, table, usePostgresHub } from "./postgres_shared";

describe("postgres (a real PostgreSQL)", function () {
  this.timeout(60_000);
  usePostgresHub();

  it("a wrong password: PostgreSQL's refusal in words, the password nowhere", async () => {
    const answer = await execute(hub.app, "postgres", warehousePush(FIELDS, ROWS,
      { connection_url: pg.url({ password: "wrong-pass-1234" }) }, { table: "x", write: "create" }));
    expect(answer.looker).to.include({ success: false, message: `PostgreSQL at 127.0.0.1:${pg.port} refused the ` +
      "password of user \"hub\". Check the user and password in the connection URL (special characters percent-encoded)." });
    expect(hub.logs()).not.to.include("wrong-pass-1234");
  });

  it("refuses a URL that is not a postgres URL, a file parameter and a bad sslmode, before connecting", async () => {
    const cases: Array<[string, RegExp]> = [
      ["https://db.example.com/x", /must start with postgres:\/\//],
      [`${pg.url()}&sslrootcert=/etc/passwd`, /names a file on the hub \(sslrootcert\)/],
      [pg.url({ sslmode: "sometimes" }), /sslmode "sometimes" is not one of/],
    ];
    for (const [url, message] of cases) {
      const answer = await execute(hub.app, "postgres", warehousePush(FIELDS, ROWS, { connection_url: url }, { table: "t", write: "append" }));
      expect(answer.looker.success).to.equal(false);
      expect(answer.looker.message).to.match(message);
    }
  });

  it("a private address is refused unless PRIVATE_URL_ALLOWLIST allows it", async () => {
    const guarded = postgresApp({ ALLOW_PRIVATE_URLS: "false" });
    const refused = await execute(guarded.app, "postgres", warehousePush(FIELDS, ROWS, data(), { table: table(), write: "create" }));
    expect(refused.looker.success).to.equal(false);
    expect(refused.looker.message).to.match(/^The PostgreSQL connection URL was refused\. The URL points at 127\.0\.0\.1, a loopback address\..*PRIVATE_URL_ALLOWLIST/);
    const allowed = postgresApp({ ALLOW_PRIVATE_URLS: "false", PRIVATE_URL_ALLOWLIST: "127.0.0.1/32" });
    const answer = await execute(allowed.app, "postgres", warehousePush(FIELDS, ROWS, data(), { table: table(), write: "create" }));
    expect(answer.looker.success, answer.looker.message).to.equal(true);
  });

  it("TLS: verify-full with the admin's CA certificate works; without it the certificate is refused", async () => {
    const ca = fs.readFileSync(path.join(__dirname, "..", "..", "fixtures", "tls", "ca.crt"), "utf8");
    const url = pg.url({ sslmode: "verify-full" });
    const ok = await execute(hub.app, "postgres", warehousePush(FIELDS, ROWS, { connection_url: url, ca_certificate: ca },
      { table: table(), write: "create" }));
    expect(ok.looker.success, ok.looker.message).to.equal(true);
    const refused = await execute(hub.app, "postgres", warehousePush(FIELDS, ROWS, { connection_url: url },
      { table: table(), write: "create" }));
    expect(refused.looker.success).to.equal(false);
    expect(refused.looker.message).to.match(/^PostgreSQL at 127\.0\.0\.1:\d+ could not be reached safely: .*CA certificate/);
  });

  it("refuses a pivoted query before connecting", async () => {
    const fields = detailFields([["orders.id", "number"]], [], { pivots: [{ key: "orders.status|FIELD|shipped" }] });
    const answer = await execute(hub.app, "postgres", warehousePush(fields, [], data(), { table: table(), write: "create" }));
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.message).to.match(/^This query is pivoted/);
  });

  it("a server that accepts and never answers: a clear message within the connect timeout", async () => {
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as net.AddressInfo).port;
    try {
      const started = Date.now();
      const answer = await execute(hub.app, "postgres", warehousePush(FIELDS, ROWS,
        { connection_url: `postgres://hub:pw@127.0.0.1:${port}/db?sslmode=disable` }, { table: "t", write: "append" }));
      expect(answer.looker.success).to.equal(false);
      expect(answer.looker.message).to.match(new RegExp(`^PostgreSQL at 127\\.0\\.0\\.1:${port} `));
      expect(Date.now() - started).to.be.lessThan(10_000);
    } finally {
      silent.close();
    }
  });

  it("Looker's connection test connects and says where", async () => {
    const answer = await execute(hub.app, "postgres", { data: { ...data(), test: true } as any });
    expect(answer.looker).to.include({ success: true, message: `Connected to PostgreSQL at 127.0.0.1:${pg.port} as "hub".` });
  });
});
