// Segment Track: each row becomes an event, named in the form, with the row as properties.
import { ActionForm } from "../../hub/action_form";
import { RequiredField } from "../../hub/integration";
import { SegmentIntegration } from "./segment_integration";
import { IDENTITY_TAGS } from "./segment_mapper";

export class SegmentTrackIntegration extends SegmentIntegration {
  readonly name = "segment_track";
  readonly label = "Segment Track";
  readonly description = "Send each row to Segment as a track event of the user it names.";
  readonly call = "track";
  readonly requiredFields: RequiredField[] = [{ any_tag: [...IDENTITY_TAGS] }];

  async form(): Promise<ActionForm> {
    return new ActionForm([{
      name: "event",
      label: "Event",
      description: "The event name Segment records for each row, e.g. Subscription Renewed.",
      type: "string",
      required: true,
    }]);
  }
}
