// The suite's stand-in for CI's kernel (test/helpers/recycled_ports.ts, installed by test/setup.ts):
// listen(0) gets back the port this process freed last, falls back to a fresh one when that is
// taken, and never hands out the ports closedPort() and childServerPort() pick.
import { expect } from "chai";
import * as net from "net";
import { closedPort } from "./fakes/closed_port";

function listen(server: net.Server, port: number | net.ListenOptions, onListening?: () => void): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    const done = () => { onListening?.(); resolve((server.address() as net.AddressInfo).port); };
    if (typeof port === "number") { server.listen(port, "127.0.0.1", done); } else { server.listen(port, done); }
  });
}

const close = (server: net.Server) => new Promise((resolve) => server.close(resolve));

describe("listen(0) in tests hands back a freed port, as CI's kernel did", () => {
  it("gives the next listen(0) the port the last close freed, in either form", async () => {
    const first = net.createServer();
    const port = await listen(first, 0);
    await close(first);
    const second = net.createServer();
    expect(await listen(second, 0)).to.equal(port);
    await close(second);
    const third = net.createServer();
    expect(await listen(third, { port: 0, host: "127.0.0.1" })).to.equal(port);
    await close(third);
  });

  it("falls back to a fresh port when the freed one was taken meanwhile, calling back once", async () => {
    const first = net.createServer();
    const port = await listen(first, 0);
    await close(first);
    const taker = net.createServer();
    await listen(taker, { port, host: "127.0.0.1", exclusive: true });
    let calls = 0;
    const second = net.createServer();
    const got = await listen(second, 0, () => { calls++; });
    expect(got).to.not.equal(port);
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).to.equal(1);
    await Promise.all([close(taker), close(second)]);
  });

  it("never hands out a port below the ephemeral range, where closedPort() picks", async () => {
    const port = await closedPort();
    const probe = net.createServer();
    await listen(probe, port);
    await close(probe);
    const next = net.createServer();
    expect(await listen(next, 0)).to.not.equal(port);
    await close(next);
  });
});
