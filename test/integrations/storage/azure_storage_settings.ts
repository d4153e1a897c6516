// Azure Blob Storage as the suite-wide tests run it (test/helpers/suite_settings.ts): the suite's
// Azurite; account and key shaped as Azure's own, which the hub checks before a call.
import { azureBlobService } from "../../../src/lib/object_stores/azure_blob";
import { AZURITE_ACCOUNT, AZURITE_KEY, sharedAzurite } from "../../fakes/azurite";
import { SuiteSettings } from "../../helpers/suite_settings";

export const settings: SuiteSettings = {
  integrations: ["azure_storage"],
  vendorEnv: (url) => ({ AZURE_STORAGE_BLOB_URL: `${url}/{account}` }),
  shapedParams: () => ({ azure_storage: { accessKey: Buffer.alloc(64, 7).toString("base64"), account: "teststorage" } }),
  async lookerShapes() {
    const azurite = await sharedAzurite();
    await azureBlobService({ account: AZURITE_ACCOUNT, accessKey: AZURITE_KEY,
      blobUrlTemplate: azurite.blobUrlTemplate }).getContainerClient("hub-shapes").createIfNotExists();
    return {
      env: { AZURE_STORAGE_BLOB_URL: azurite.blobUrlTemplate },
      deliveries: { azure_storage: { data: { account: AZURITE_ACCOUNT, accessKey: AZURITE_KEY },
        form: { container: "hub-shapes", filename: "shapes" } } },
    };
  },
};
