// SEGMENT_API_HOST: Segment's public API by default, any http(s) URL when set.
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
