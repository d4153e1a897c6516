// Segment Group: each row puts its user in the group the row names, with the row as group traits.
import { RequiredField } from "../../hub/integration";
import { SegmentIntegration } from "./segment_integration";
import { IDENTITY_TAGS, SegmentTag } from "./segment_mapper";

export class SegmentGroupIntegration extends SegmentIntegration {
  readonly name = "segment_group";
  readonly label = "Segment Group";
  readonly description = "Put users in Segment groups and set group traits with a group call for each row.";
  readonly call = "group";
  /** One entry with both, as the official hub declares it: Looker offers the action as it did there. */
  readonly requiredFields: RequiredField[] = [{ tag: SegmentTag.groupId, any_tag: [...IDENTITY_TAGS] }];
}
