// Segment Identify: each row updates the traits of the user it names.
import { RequiredField } from "../../hub/integration";
import { SegmentIntegration } from "./segment_integration";
import { IDENTITY_TAGS } from "./segment_mapper";

export class SegmentIdentifyIntegration extends SegmentIntegration {
  readonly name = "segment_event";
  readonly label = "Segment Identify";
  readonly description = "Update your Segment users' traits with an identify call for each row.";
  readonly call = "identify";
  readonly requiredFields: RequiredField[] = [{ any_tag: [...IDENTITY_TAGS] }];
  readonly minimumSupportedLookerVersion = "4.20.0";
}
