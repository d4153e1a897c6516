// Types for analytics-node 6 (the package ships none), limited to what this hub uses.
declare module "analytics-node" {
  type Callback = (err?: Error, data?: unknown) => void;

  interface AnalyticsOptions {
    host?: string;
    path?: string;
    flushAt?: number;
    flushInterval?: number;
    maxQueueSize?: number;
    timeout?: number;
    retryCount?: number;
    axiosRetryConfig?: { retryDelay?: (retryNumber: number) => number };
    errorHandler?: (err: Error) => void;
  }

  class Analytics {
    /** The messages not yet handed to a flush; an undocumented but plain field of v6. */
    queue: unknown[];
    constructor(writeKey: string, options?: AnalyticsOptions);
    identify(message: object, callback?: Callback): Analytics;
    track(message: object, callback?: Callback): Analytics;
    group(message: object, callback?: Callback): Analytics;
    flush(callback?: Callback): Promise<unknown>;
  }

  export = Analytics;
}
