// HubSpot Contacts and HubSpot Companies: the official hub's names, params and tags.
import { RequiredField } from "../../hub/integration";
import { HubspotObjectKind } from "./hubspot_destination";
import { HubspotIntegration } from "./hubspot_integration";

export class HubspotContactsIntegration extends HubspotIntegration {
  readonly name = "hubspot_contacts";
  readonly label = "Hubspot Contacts";
  readonly description = "Update HubSpot contacts: each row's fields become properties of the contact its " +
    "hubspot_contact_id names.";
  readonly requiredFields: RequiredField[] = [{ any_tag: ["hubspot_contact_id"] }];
  readonly kind: HubspotObjectKind = {
    type: "contacts", noun: "contact", plural: "contacts", idTag: "hubspot_contact_id", label: this.label,
  };
}

export class HubspotCompaniesIntegration extends HubspotIntegration {
  readonly name = "hubspot_companies";
  readonly label = "Hubspot Companies";
  readonly description = "Update HubSpot companies: each row's fields become properties of the company its " +
    "hubspot_company_id names.";
  readonly requiredFields: RequiredField[] = [{ any_tag: ["hubspot_company_id"] }];
  readonly kind: HubspotObjectKind = {
    type: "companies", noun: "company", plural: "companies", idTag: "hubspot_company_id", label: this.label,
  };
}
