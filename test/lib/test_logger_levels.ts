// Lines below the level are dropped before winston formats them; what is at or above the
// level of the logger or of any transport is written as before.
import { expect } from "chai";
import { PassThrough } from "stream";
import TransportStream from "winston-transport";
import { createLogger } from "../../src/lib/logger";

function logging(level: string) {
  const sink = new PassThrough();
  let text = "";
  sink.on("data", (c) => { text += c.toString(); });
  const logger = createLogger({ level, format: "json", stream: sink });
  return { logger, lines: () => text.split("\n").filter(Boolean) };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

class Collect extends TransportStream {
  readonly messages: string[] = [];
  log(info: { message: string }, callback: () => void): void { this.messages.push(info.message); callback(); }
}

describe("logger levels", () => {
  it("writes warn and error under LOG_LEVEL=warn, not info or debug, from the logger and its children", async () => {
    const { logger, lines } = logging("warn");
    const child = logger.child({ requestId: "r-1" }).child({ integration: "debug" });
    logger.info("dropped info");
    child.debug("dropped debug");
    child.info("dropped child info");
    logger.warn("kept warn");
    child.error("kept child error", { rows: 3 });
    await flush();
    const written = lines().map((l) => JSON.parse(l));
    expect(written.map((l) => l.message)).to.deep.equal(["kept warn", "kept child error"]);
    expect(written[1]).to.include({ requestId: "r-1", integration: "debug", rows: 3, level: "error" });
  });

  it("follows a level changed at run time, and a transport with a lower level of its own", async () => {
    const { logger, lines } = logging("warn");
    const child = logger.child({ requestId: "r-2" });
    logger.level = "info";
    child.info("now kept");
    logger.level = "error";
    child.warn("now dropped");
    const collect = new Collect({ level: "debug" });
    logger.add(collect);
    child.debug("for the debug transport");
    await flush();
    expect(lines().map((l) => JSON.parse(l).message)).to.deep.equal(["now kept"]);
    expect(collect.messages).to.deep.equal(["for the debug transport"]);
  });

  it("gives children their fields: the call's over the child's over its parents', siblings apart", async () => {
    const { logger, lines } = logging("info");
    const parent = logger.child({ requestId: "r-3", kind: "parent" });
    const child = parent.child({ integration: "debug", kind: "child" });
    const sibling = parent.child({ integration: "slack" });
    child.info("from the child", { kind: "call" });
    sibling.info("from the sibling");
    parent.info("from the parent");
    child.error(new Error("boom"));
    await flush();
    const written = lines().map((l) => JSON.parse(l));
    expect(written[0]).to.include({ message: "from the child", requestId: "r-3", integration: "debug", kind: "call" });
    expect(written[1]).to.include({ message: "from the sibling", requestId: "r-3", integration: "slack",
      kind: "parent" });
    expect(written[2]).to.include({ message: "from the parent", kind: "parent" });
    expect(written[2]).not.to.have.property("integration");
    expect(written[3]).to.include({ message: "boom", level: "error", requestId: "r-3", integration: "debug" });
  });

  it("returns the logger, as winston's methods do", () => {
    const { logger } = logging("error");
    expect(logger.info("x")).to.equal(logger);
    expect(logger.error("y")).to.equal(logger);
  });
});
