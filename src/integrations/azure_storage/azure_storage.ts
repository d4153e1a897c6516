// Azure Storage: the delivery streamed to a container as a block blob (blocks staged, then
// committed, so nothing appears under the name until all of it arrived).
import { openDeliveryFile } from "../../data/files/file_delivery";
import { OBJECT_NAME_HELP, objectName, wroteMessage } from "../../data/files/file_naming";
import { ActionForm, FormField } from "../../hub/action_form";
import { ActionRequest } from "../../hub/action_request";
import { ActionResponse } from "../../hub/action_response";
import { FileIntegration, iconBeside, Param } from "../../hub/integration";
import type { AzureSettings } from "../../lib/object_stores/azure_blob";

/** Microsoft's SDK, loaded on first use: start-up time counts, and many hubs never write to Azure. */
const azureBlob = () => import("../../lib/object_stores/azure_blob");

export interface AzureStorageSettings {
  /** AZURE_STORAGE_BLOB_URL, with `{account}`. */
  blobUrlTemplate: string;
  maxTries?: number;
  /** Longest one try (one block) may take. */
  tryTimeoutMs?: number;
}

export class AzureStorageIntegration extends FileIntegration {
  readonly name = "azure_storage";
  readonly label = "Azure Storage";
  readonly description = "Write data files to an Azure Storage container.";
  readonly icon = iconBeside(__dirname, "azure_storage.svg");
  readonly params: Param[] = [{
    name: "account", label: "Storage Account",
    description: "The storage account's name (as in https://<name>.blob.core.windows.net).",
    required: true, sensitive: false,
  }, {
    name: "accessKey", label: "Access Key",
    description: "key1 or key2 from the account's Security + networking > Access keys page.",
    required: true, sensitive: true,
  }];

  constructor(private readonly settings: AzureStorageSettings) { super(); }

  async form(request: ActionRequest): Promise<ActionForm> {
    const { azureBlobService, listAzureContainers } = await azureBlob();
    const containers = await listAzureContainers(azureBlobService(this.account(request)), 1000,
      this.settings.tryTimeoutMs);
    if (!containers.length) { return ActionForm.error("Create a container in your Azure account."); }
    return new ActionForm(this.fields(containers));
  }

  async validationForm(): Promise<ActionForm> { return new ActionForm(this.fields()); }

  async execute(request: ActionRequest): Promise<ActionResponse> {
    const account = this.account(request);
    const { azureBlobService, azureBlobUrl, uploadAzureStream } = await azureBlob();
    const service = azureBlobService(account);
    const container = (request.formParams.container ?? "").trim();
    const file = await openDeliveryFile(request, objectName(request, request.formParams.filename));
    const { bytes } = await uploadAzureStream(service, {
      container, name: file.name, body: file.stream, contentType: file.contentType, stallMs: this.settings.tryTimeoutMs,
    });
    const where = `${azureBlobUrl(account)}/${container}/${file.name}`;
    return ActionResponse.ok(wroteMessage(bytes, where));
  }

  private fields(containers?: string[]): FormField[] {
    return [{
      name: "container", label: "Container", type: "select", required: true, description: "The container to write to.",
      default: containers?.[0], options: (containers ?? []).map((c) => ({ name: c, label: c })),
    }, {
      name: "filename", label: "Filename", type: "string", description: OBJECT_NAME_HELP,
    }];
  }

  private account(request: ActionRequest): AzureSettings {
    return {
      account: request.params.account ?? "", accessKey: request.params.accessKey ?? "",
      blobUrlTemplate: this.settings.blobUrlTemplate, maxTries: this.settings.maxTries,
      tryTimeoutMs: this.settings.tryTimeoutMs,
    };
  }
}
