// What every integration that takes a query's rows as json_detail declares alike (the row
// destinations, the warehouses): query actions, json_detail by Looker version, unformatted
// values (raw, as the destination stores them), push and url deliveries.
import { ActionType } from "../../hub/action_request";
import { Declared, DownloadSetting, Format, Formatting, Integration, VisualizationFormatting } from "../../hub/integration";
import { streamingDetailFormats } from "./detail_fields";

export abstract class DetailRowsIntegration extends Integration {
  readonly supportedActionTypes: ActionType[] = ["query"];
  readonly supportedFormats: Declared<Format[]> = streamingDetailFormats;
  readonly supportedFormattings: Formatting[] = ["unformatted"];
  readonly supportedVisualizationFormattings: VisualizationFormatting[] = ["noapply"];
  readonly supportedDownloadSettings: DownloadSetting[] = ["push", "url"];
}
