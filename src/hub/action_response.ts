// What an execute answers: `{"looker": {success, message, refresh_query, validation_errors, state}}`.

export interface StateUpdate {
  /** Up to 32 KB, stored by Looker per user and sent back as `data.state_json`. */
  data: string;
  /** Seconds after which Looker asks the form again. */
  refreshTime?: number;
}

/** What a dry run found: nothing was sent; counts, and the first record with its values masked. */
export interface DryRunReport {
  integration: string;
  checked: string;
  format?: string;
  bytes?: number;
  rows?: number;
  /** Records that would go to the vendor, and rows the mapping would reject (row destinations). */
  would_send?: number;
  would_reject?: number;
  first_record?: unknown;
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
  /** A dry run's report (what would have been sent), answered as `looker.dry_run`. */
  dryRun?: DryRunReport;

  static ok(message?: string): ActionResponse {
    const response = new ActionResponse();
    response.message = message;
    return response;
  }

  /** A dry run's answer: success, the report in words, and the report itself. */
  static dryRun(message: string, report: DryRunReport): ActionResponse {
    const response = ActionResponse.ok(message);
    response.dryRun = report;
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
    if (this.dryRun) { looker.dry_run = this.dryRun; }
    return { looker };
  }
}

export function serializeState(state: StateUpdate): Record<string, unknown> {
  return state.refreshTime === undefined ? { data: state.data } : { data: state.data, refresh_time: state.refreshTime };
}
