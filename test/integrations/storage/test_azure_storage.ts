// azure_storage through the real app against Azurite (Microsoft's Azure Storage emulator), with
// a fault proxy in front for a 500 on one block and a connection cut midway.
import { expect } from "chai";
import { azureBlobService, listAzureContainers } from "../../../src/lib/object_stores/azure_blob";
import { AZURITE_ACCOUNT, AZURITE_KEY, Azurite, sharedAzurite } from "../../fakes/azurite";
import { startDownloadServer } from "../../fakes/download_server";
import { FaultProxy } from "../../fakes/fault_proxy";
import { TestApp } from "../../helpers/app";
import { execute, form } from "../../helpers/execute";
import { csvBuffer, csvBytes, FIXTURE_CSV, lookerRequest, storageApp } from "../../helpers/storage";

const MiB = 1024 * 1024;
const PARAMS = { account: AZURITE_ACCOUNT, accessKey: AZURITE_KEY };

describe("azure_storage (Azurite)", () => {
  let azurite: Azurite;
  let proxy: FaultProxy;
  let hub: TestApp;
  const service = () => azureBlobService({ ...PARAMS, blobUrlTemplate: azurite.blobUrlTemplate });
  const blob = async (container: string, name: string) => {
    const client = service().getContainerClient(container).getBlobClient(name);
    if (!await client.exists()) { return undefined; }
    const props = await client.getProperties();
    return { bytes: await client.downloadToBuffer(), contentType: props.contentType };
  };

  before(async () => {
    azurite = await sharedAzurite();
    for (let i = 0; i < 7; i++) { await service().getContainerClient(`hub-container-${i}`).createIfNotExists(); }
  });
  beforeEach(async () => {
    proxy = await new FaultProxy(azurite.port).start();
    hub = storageApp({ AZURE_STORAGE_BLOB_URL: `${proxy.url}/{account}` });
  });
  afterEach(() => proxy.stop());

  it("lists every container in the form, all pages, signed with the shared key", async () => {
    const answer = await form(hub.app, "azure_storage", { data: PARAMS });
    expect(answer.fields.map((f: any) => f.name)).to.deep.equal(["container", "filename"]);
    const names = answer.fields[0].options.map((o: any) => o.name);
    for (let i = 0; i < 7; i++) { expect(names).to.include(`hub-container-${i}`); }
    expect(proxy.seen[0].path).to.match(/\/devstoreaccount1\/\?.*comp=list/);
    expect(proxy.seen[0].authorization).to.match(/^SharedKey devstoreaccount1:/);
    // The form asks for 1000 a page; with 3 a page the same listing follows every page.
    const viaProxy = azureBlobService({ ...PARAMS, blobUrlTemplate: `${proxy.url}/{account}` });
    const paged = await listAzureContainers(viaProxy, 3);
    for (let i = 0; i < 7; i++) { expect(paged).to.include(`hub-container-${i}`); }
    expect(proxy.seen.filter((r) => /comp=list/.test(r.path)).length).to.be.greaterThan(3);
  });

  it("writes a CSV push as a block blob with its content type", async () => {
    const answer = await execute(hub.app, "azure_storage",
      lookerRequest("query_csv_push", PARAMS, { container: "hub-container-0", filename: "weekly.csv" }));
    expect(answer.looker).to.include({ success: true,
      message: `Wrote ${FIXTURE_CSV.length} bytes to ${proxy.url}/devstoreaccount1/hub-container-0/weekly.csv.` });
    const stored = await blob("hub-container-0", "weekly.csv");
    expect(stored!.bytes.toString()).to.equal(FIXTURE_CSV);
    expect(stored!.contentType).to.equal("text/csv; charset=utf-8");
  });

  it("streams a 20 MiB download_url delivery in blocks, retrying a block answered 500", async () => {
    let failures = 0;
    proxy.rule = (req) => /comp=block&/.test(req.url ?? "") && failures++ === 1 ? "500" : undefined;
    const download = await startDownloadServer((_req, res) => { res.writeHead(200); csvBytes(20 * MiB).pipe(res); });
    try {
      const body = lookerRequest("query_url", PARAMS,
        { container: "hub-container-1", filename: "big.csv", format: "csv" });
      (body.scheduled_plan as any).download_url = `${download.url}/once`;
      const answer = await execute(hub.app, "azure_storage", body);
      expect(answer.looker.success).to.equal(true);
      expect((await blob("hub-container-1", "big.csv"))!.bytes.equals(await csvBuffer(20 * MiB))).to.equal(true);
      const blocks = proxy.seen.filter((r) => /comp=block&/.test(r.path));
      expect(blocks).to.have.length(6); // 5 blocks of 4 MiB, one of them sent twice
      expect(proxy.seen.filter((r) => /comp=blocklist/.test(r.path))).to.have.length(1);
    } finally {
      await download.close();
    }
  });

  it("a connection cut on every try of a block: a clear message, nothing under the name", async () => {
    proxy.rule = (req) => /comp=block&/.test(req.url ?? "") ? "cut" : undefined;
    const answer = await execute(hub.app, "azure_storage",
      lookerRequest("query_csv_push", PARAMS, { container: "hub-container-2", filename: "cut.csv" }));
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.message).to.match(/^The connection to Azure Storage was cut during the upload/);
    expect(await blob("hub-container-2", "cut.csv")).to.equal(undefined);
    const after = await execute(hub.app, "azure_storage",
      lookerRequest("query_csv_push", PARAMS, { container: "hub-container-2", filename: "after" }));
    expect(after.looker.success).to.equal(false); // every block is still cut
    proxy.rule = () => undefined;
    const fine = await execute(hub.app, "azure_storage",
      lookerRequest("query_csv_push", PARAMS, { container: "hub-container-2", filename: "after" }));
    expect(fine.looker.success).to.equal(true);
  });

  it("says what is wrong: the container, the key", async () => {
    const missing = await execute(hub.app, "azure_storage",
      lookerRequest("query_csv_push", PARAMS, { container: "nope" }));
    expect(missing.looker.message)
      .to.equal("The container named in \"Container\" does not exist in Azure Storage. Pick an existing container.");
    const wrong = await form(hub.app, "azure_storage",
      { data: { ...PARAMS, accessKey: Buffer.alloc(64, 7).toString("base64") } });
    expect(wrong.error).to.match(/^Azure Storage refused the access key: the signature does not match/);
    const notKey = await form(hub.app, "azure_storage", { data: { ...PARAMS, accessKey: "password123" } });
    expect(notKey.error).to.match(/not an Azure storage account key/);
  });

  describe("the official hub's test cases (src/actions/azure/test_azure_storage.ts)", () => {
    // Official: "errors if there is no container".
    it("refuses a delivery without a container, nothing sent", async () => {
      const answer = await execute(hub.app, "azure_storage", lookerRequest("query_csv_push", PARAMS, {}));
      expect(answer.looker.success).to.equal(false);
      expect(answer.looker.validation_errors).to.have.property("container");
      expect(proxy.seen).to.deep.equal([]);
    });

    // Official: "errors if the input has no attachment".
    it("refuses a delivery without data", async () => {
      const answer = await execute(hub.app, "azure_storage",
        lookerRequest("query_no_results", PARAMS, { container: "hub-container-3" }));
      expect(answer.looker.success).to.equal(false);
      expect(answer.looker.message).to.match(/^Looker sent no data to write/);
    });

    // Official: "sends right body to filename and container".
    it("without a file name, writes the bytes under the schedule's title and the extension", async () => {
      const answer = await execute(hub.app, "azure_storage",
        lookerRequest("query_csv_push", PARAMS, { container: "hub-container-3" }));
      expect(answer.looker.success).to.equal(true);
      expect((await blob("hub-container-3", "Weekly revenue.csv"))!.bytes.toString()).to.equal(FIXTURE_CSV);
    });

    // Official: "sends to right filename if specified".
    it("writes under the typed file name exactly, no extension added", async () => {
      const answer = await execute(hub.app, "azure_storage",
        lookerRequest("query_csv_push", PARAMS, { container: "hub-container-3", filename: "mywackyfilename" }));
      expect(answer.looker.success).to.equal(true);
      expect((await blob("hub-container-3", "mywackyfilename"))!.bytes.toString()).to.equal(FIXTURE_CSV);
      expect(await blob("hub-container-3", "mywackyfilename.csv")).to.equal(undefined);
    });

    // Official: "has form with correct containers".
    it("the form: the containers (required, the first the default), then Filename", async () => {
      const answer = await form(hub.app, "azure_storage", { data: PARAMS });
      expect(answer.fields.map((f: any) => [f.name, f.label, f.type])).to.deep.equal([
        ["container", "Container", "select"], ["filename", "Filename", "string"]]);
      expect(answer.fields[0]).to.deep.include({ required: true, default: answer.fields[0].options[0].name });
    });

    // Official: "returns form error if no containers are present".
    it("the form of an account without containers: the official error", async () => {
      proxy.intercept = (req, res) => {
        if (!/comp=list/.test(req.url ?? "")) { return false; }
        res.writeHead(200, { "content-type": "application/xml" });
        res.end("<?xml version=\"1.0\" encoding=\"utf-8\"?><EnumerationResults ServiceEndpoint=\"x\">" +
          "<Containers /><NextMarker /></EnumerationResults>");
        return true;
      };
      const answer = await form(hub.app, "azure_storage", { data: PARAMS });
      expect(answer).to.deep.equal({ fields: [], error: "Create a container in your Azure account." });
    });
  });
});
