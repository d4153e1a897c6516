import { expect } from "chai";
import request from "supertest";
import { DebugIntegration } from "../../src/integrations/debug/debug";
import { authHeader, buildTestApp } from "../helpers/app";

describe("hub smoke", () => {
  it("lists the debug integration for an authenticated POST /", async () => {
    const { app } = buildTestApp([new DebugIntegration()]);
    const res = await request(app).post("/").set("Authorization", authHeader()).expect(200);
    expect(res.body.label).to.equal("Test Hub");
    expect(res.body.integrations.map((i: any) => i.name)).to.deep.equal(["debug"]);
  });
});
