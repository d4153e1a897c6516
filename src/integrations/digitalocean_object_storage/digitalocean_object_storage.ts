// DigitalOcean Spaces: S3's delivery (s3_destination.ts) at the region's Spaces endpoint, the
// object named as the official hub named it (its Path field never used).
import type { S3Client } from "@aws-sdk/client-s3";
import { ActionForm } from "../../hub/action_form";
import { ActionRequest } from "../../hub/action_request";
import { ActionResponse } from "../../hub/action_response";
import { FileIntegration, iconBeside, Param } from "../../hub/integration";
import {
  checkedRegion, S3_KEY_PARAMS, S3ClientSettings, S3Destination, s3Execute, s3Form, s3FormFields,
} from "../../families/storage/s3_destination";

export interface SpacesSettings extends S3ClientSettings {
  /** DIGITALOCEAN_SPACES_ENDPOINT: `{region}` is replaced by the region. */
  endpointTemplate: string;
}

export class DigitalOceanObjectStorageIntegration extends FileIntegration implements S3Destination {
  readonly name = "digitalocean_object_storage";
  readonly label = "DigitalOcean Spaces";
  readonly description = "Write data files to a DigitalOcean Space.";
  readonly icon = iconBeside(__dirname, "digitalocean.svg");
  readonly params: Param[] = [
    { ...S3_KEY_PARAMS[0], description: "A Spaces access key (API > Spaces Keys in the DigitalOcean console).",
      sensitive: false },
    { ...S3_KEY_PARAMS[1], description: "The Spaces key's secret." },
    { ...S3_KEY_PARAMS[2], description: "The Spaces' region, e.g. nyc3, ams3, sgp1." },
  ];
  readonly who = "DigitalOcean Spaces";
  readonly bucketLabel = "Space Name";
  readonly pathDescription = "Not used, as in the official hub (kept so its schedules move over unchanged): " +
    "files go to the Space's top level. Put folders in Filename instead, e.g. exports/revenue.csv.";

  constructor(private readonly settings: SpacesSettings) { super(); }

  async form(request: ActionRequest): Promise<ActionForm> { return s3Form(this, request); }
  async validationForm(): Promise<ActionForm> { return new ActionForm(s3FormFields(this)); }
  async execute(request: ActionRequest): Promise<ActionResponse> { return s3Execute(this, request); }
  // The official hub showed Path but wrote every file under its name alone; its schedules carry
  // a Path that never moved a file, so it moves none here either.
  objectKey(_request: ActionRequest, name: string): string { return name; }

  async client(request: ActionRequest): Promise<S3Client> {
    const region = checkedRegion(request.params.region);
    const { s3Client } = await import("../../lib/object_stores/s3");
    return s3Client({
      accessKeyId: request.params.access_key_id ?? "", secretAccessKey: request.params.secret_access_key ?? "",
      // Spaces signs with us-east-1 whatever the region; the region picks the endpoint.
      region: "us-east-1", endpoint: this.settings.endpointTemplate.replace(/\{region\}/g, region),
      who: this.who, connectTimeoutMs: this.settings.connectTimeoutMs,
      idleTimeoutMs: this.settings.idleTimeoutMs, totalTimeoutMs: this.settings.totalTimeoutMs,
      maxAttempts: this.settings.maxAttempts,
    });
  }
}
