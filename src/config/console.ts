// The console's settings (GET /console and the routes it calls; docs in docs/console.md). A function
// of the environment object; only src/config/index.ts hands it the real one.
import { boolSetting, Env, first } from "./values";

export interface ConsoleSettings {
  /** Serve the console, its one-time sample downloads and its log ring (CONSOLE_ENABLED). */
  enabled: boolean;
}

/** On by default in development, off in production and tests unless CONSOLE_ENABLED says so. */
export function consoleSettings(env: Env, mode: "production" | "development" | "test"): ConsoleSettings {
  const enabled = first(env, "CONSOLE_ENABLED") === undefined
    ? mode === "development"
    : boolSetting(env, "CONSOLE_ENABLED");
  return Object.freeze({ enabled });
}
