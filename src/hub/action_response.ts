// What an execute answers: `{"looker": {success, message, refresh_query, validation_errors, state}}`.

export interface StateUpdate {
  /** Up to 32 KB, stored by Looker per user and sent back as `data.state_json`. */
  data: string;
  /** Seconds after which Looker asks the form again. */
  refreshTime?: number;
}

export class ActionResponse {
  success = true;
  message?: string;
  refreshQuery = false;
  validationErrors?: Record<string, string>;
  state?: StateUpdate;
  /**
   * The failure's message as the log may hold it, when `message` names row values (phone numbers,
   * instance IDs) that the person may read but the log may not. Never sent to Looker.
   */
  logMessage?: string;

  static ok(message?: string): ActionResponse {
    const response = new ActionResponse();
    response.message = message;
    return response;
  }

  static failure(message: string, validationErrors?: Record<string, string>): ActionResponse {
    const response = new ActionResponse();
    response.success = false;
    response.message = message;
    if (validationErrors && Object.keys(validationErrors).length) { response.validationErrors = validationErrors; }
    return response;
  }

  toJSON(): { looker: Record<string, unknown> } {
    const looker: Record<string, unknown> = { success: this.success, refresh_query: this.refreshQuery };
    if (this.message !== undefined) { looker.message = this.message; }
    if (this.validationErrors) { looker.validation_errors = this.validationErrors; }
    if (this.state) { looker.state = serializeState(this.state); }
    return { looker };
  }
}

export function serializeState(state: StateUpdate): Record<string, unknown> {
  return state.refreshTime === undefined ? { data: state.data } : { data: state.data, refresh_time: state.refreshTime };
}
