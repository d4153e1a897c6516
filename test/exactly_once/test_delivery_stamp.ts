// deliveryStamp: the stamp of Cloud Storage's Overwrite: no names, from the delivery's webhook id
// (the same for a re-send, another for another delivery, 13 digits like epoch ms), else the clock.
import { expect } from "chai";
import { deliveryStamp } from "../../src/data/files/file_naming";
import { ActionRequest } from "../../src/hub/action_request";

function request(webhookId?: string): ActionRequest {
  return new ActionRequest({ requestId: "r", lookerVersion: {} as any, logger: undefined as any, webhookId });
}

describe("deliveryStamp", () => {
  const NOW = new Date(Date.UTC(2026, 5, 17, 23, 30, 0));

  it("with a webhook id: 13 digits from it, the same every time, another for another id", () => {
    const stamps = ["wh-1", "wh-1", "wh-2", "a".repeat(500), ""].map((id, i) =>
      deliveryStamp(request(id || undefined), new Date(NOW.getTime() + i)));
    expect(stamps[0]).to.match(/^[1-9]\d{12}$/).and.equal(stamps[1]);
    expect(stamps[2]).to.match(/^[1-9]\d{12}$/).and.not.equal(stamps[0]);
    expect(stamps[3]).to.match(/^[1-9]\d{12}$/);
    expect(stamps[4], "without one: the clock").to.equal(String(NOW.getTime() + 4));
  });
});
