// Segment's three integrations as the suite-wide tests run them (test/helpers/suite_settings.ts).
import { expect } from "chai";
import { FakeSegmentApi } from "../../fakes/segment_api";
import { SuiteSettings } from "../../helpers/suite_settings";

const KEY = { segment_write_key: "test-write-key" };

export const settings: SuiteSettings = {
  integrations: ["segment_event", "segment_track", "segment_group"],
  vendorEnv: (url) => ({ SEGMENT_API_HOST: url }),
  rowTags: { id: ["user_id"], email: ["email"] },
  async lookerShapes() {
    const segment = await new FakeSegmentApi().start();
    return {
      env: { SEGMENT_API_HOST: segment.url },
      deliveries: {
        segment_event: { data: KEY, form: {} },
        segment_track: { data: KEY, form: { event: "Weekly revenue" } },
        segment_group: { data: KEY, form: {} },
      },
      arrived: () => expect(segment.accepted.length, "rows reached Segment").to.be.greaterThan(0),
      stop: () => segment.stop(),
    };
  },
};
