// The Kubernetes example (deploy/kubernetes/): manifests that parse, and an autoscaler that
// scales on a metric the hub really exports, with the pod's capacity it assumes.
import { expect } from "chai";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { defaultMaxConcurrentDeliveries } from "../../src/config/capacity";
import { HubMetrics } from "../../src/server/metrics";

const DIR = path.join(__dirname, "../../deploy/kubernetes");
type Doc = Record<string, any>;
const load = (file: string) => yaml.loadAll(fs.readFileSync(path.join(DIR, file), "utf8")) as Doc[];
const mebibytes = (quantity: string) => Number(/^(\d+)Mi$/.exec(quantity)![1]) * 1024 * 1024;

describe("the Kubernetes manifests", () => {
  it("parse, each a Kubernetes object", () => {
    for (const file of fs.readdirSync(DIR).filter((f) => f.endsWith(".yaml"))) {
      for (const doc of load(file)) {
        expect(doc, file).to.include.keys("apiVersion", "kind", "metadata");
      }
    }
  });

  it("scale on the deliveries in flight the hub exports, below what a pod runs at once", async () => {
    const [hpa] = load("hpa.yaml");
    const pods = hpa.spec.metrics.find((m: Doc) => m.type === "Pods").pods;
    expect(pods.metric.name).to.equal("hub_deliveries_in_flight");
    const exported = await new HubMetrics(false).registry.metrics();
    expect(exported).to.include(`# TYPE ${pods.metric.name} gauge`);

    const [deployment] = load("deployment.yaml");
    const hub = deployment.spec.template.spec.containers[0];
    const env = Object.fromEntries(hub.env.map((e: Doc) => [e.name, e.value]));
    const limit = mebibytes(hub.resources.limits.memory);
    const slots = defaultMaxConcurrentDeliveries(limit, Number(env.WEB_CONCURRENCY), Number(hub.resources.limits.cpu));
    expect(Number(pods.target.averageValue)).to.be.below(slots);

    const [adapter] = load("prometheus-adapter-rules.yaml");
    const rules = (yaml.load(adapter.data["config.yaml"]) as Doc).rules;
    expect(rules[0].name.as).to.equal(pods.metric.name);
  });
});
