// SEGMENT_API_HOST: Segment's public API by default, any http(s) URL when set; SEGMENT_SENDER.
import { expect } from "chai";
import { ConfigError } from "../../../src/config";
import { testConfig } from "../../helpers/app";

describe("SEGMENT_API_HOST", () => {
  it("defaults to Segment's public API", () => {
    expect(testConfig().segment.apiHost).to.equal("https://api.segment.io");
  });

  it("takes a regional or private endpoint, without a trailing slash", () => {
    expect(testConfig({ SEGMENT_API_HOST: "https://events.eu1.segmentapis.com/" }).segment.apiHost)
      .to.equal("https://events.eu1.segmentapis.com");
  });

  it("refuses something that is not an http(s) URL, naming the variable", () => {
    expect(() => testConfig({ SEGMENT_API_HOST: "api.segment.io" })).to.throw(ConfigError, "SEGMENT_API_HOST");
  });
});

describe("SEGMENT_SENDER", () => {
  it("defaults to the batch sender and takes analytics-node", () => {
    expect(testConfig().segment.sender).to.equal("batch");
    expect(testConfig({ SEGMENT_SENDER: "analytics-node" }).segment.sender).to.equal("analytics-node");
    expect(testConfig({ SEGMENT_SENDER: " Batch " }).segment.sender).to.equal("batch");
  });

  it("refuses another value, naming the variable and the choices", () => {
    expect(() => testConfig({ SEGMENT_SENDER: "sdk" })).to.throw(ConfigError,
      "SEGMENT_SENDER must be one of batch, analytics-node; it is \"sdk\".");
  });
});
