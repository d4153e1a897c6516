// What a form request answers: `{fields, state}` or `{fields: [], error}`.
import { serializeState, StateUpdate } from "./action_response";

export type FieldType = "string" | "textarea" | "select" | "message" | "oauth_link" | "oauth_link_google";

export interface FormOption {
  name: string;
  label: string;
}

export interface FormField {
  name: string;
  label?: string;
  description?: string;
  type?: FieldType;
  default?: string;
  required?: boolean;
  interactive?: boolean;
  sensitive?: boolean;
  options?: FormOption[];
  /** Text of a `message` field. */
  value?: string;
  /** The login link of an `oauth_link` field. */
  oauth_url?: string;
}

export class ActionForm {
  fields: FormField[] = [];
  state?: StateUpdate;
  error?: string;

  constructor(fields: FormField[] = []) {
    this.fields = fields;
  }

  static error(message: string): ActionForm {
    const form = new ActionForm();
    form.error = message;
    return form;
  }

  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { fields: this.fields };
    if (this.state) { out.state = serializeState(this.state); }
    if (this.error !== undefined) { out.error = this.error; }
    return out;
  }
}
