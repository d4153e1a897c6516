import { expect } from "chai";
import * as os from "os";
import { ConfigError, loadConfig } from "../../src/config";

const BASE = { NODE_ENV: "test", INTEGRATION_SERVICE_SECRET: "0123456789abcdef0123" };

describe("delivery settings", () => {
  it("defaults to no size limit, 30 s connect, 120 s idle, the system temp dir", () => {
    const config = loadConfig(BASE);
    expect(config.maxDeliveryBytes).to.equal(0);
    expect(config.downloadConnectTimeoutMs).to.equal(30_000);
    expect(config.downloadIdleTimeoutMs).to.equal(120_000);
    expect(config.spoolDir).to.equal(os.tmpdir());
  });

  it("reads sizes with binary units and timeouts in seconds", () => {
    const config = loadConfig({
      ...BASE, MAX_DELIVERY_BYTES: "2G", DOWNLOAD_CONNECT_TIMEOUT_SECONDS: "5", DOWNLOAD_IDLE_TIMEOUT_SECONDS: "0.5",
    });
    expect(config.maxDeliveryBytes).to.equal(2 * 1024 ** 3);
    expect(config.downloadConnectTimeoutMs).to.equal(5000);
    expect(config.downloadIdleTimeoutMs).to.equal(500);
    expect(loadConfig({ ...BASE, MAX_DELIVERY_BYTES: "1048576" }).maxDeliveryBytes).to.equal(1048576);
    expect(loadConfig({ ...BASE, MAX_DELIVERY_BYTES: "500MB" }).maxDeliveryBytes).to.equal(500 * 1024 ** 2);
  });

  it("refuses nonsense with a line saying what to set", () => {
    expect(() => loadConfig({ ...BASE, MAX_DELIVERY_BYTES: "lots" })).to.throw(ConfigError, /MAX_DELIVERY_BYTES/);
    expect(() => loadConfig({ ...BASE, DOWNLOAD_IDLE_TIMEOUT_SECONDS: "-1" })).to.throw(ConfigError, /IDLE/);
    expect(() => loadConfig({ ...BASE, SPOOL_DIR: "/no/such/dir" })).to.throw(ConfigError, /SPOOL_DIR/);
  });
});
