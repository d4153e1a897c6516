// Settings of the machine-learning family (DataRobot, Amazon SageMaker): vendor base URLs with
// their public defaults and the bounds of the waits on their jobs.
// Read from the environment object src/config.ts hands over, never from the process itself.
import { baseUrlSetting, Env, first, secondsSetting } from "./values";

export interface MlSettings {
  /** DataRobot's application URL (DATAROBOT_URL), without a trailing slash; the `datarobot_url` param wins. */
  dataRobotUrl: string;
  /** Longest an execute waits for DataRobot to read Looker's data and make the project. */
  dataRobotWaitMs: number;
  /** Between two looks at DataRobot's project status. */
  dataRobotPollMs: number;
}

export function mlSettings(env: Env): MlSettings {
  return {
    dataRobotUrl: baseUrlSetting(env, "DATAROBOT_URL", "https://app.datarobot.com").replace(/\/$/, ""),
    dataRobotWaitMs: secondsSetting(env, "DATAROBOT_WAIT_SECONDS", 60) * 1000,
    dataRobotPollMs: secondsSetting(env, "DATAROBOT_POLL_SECONDS", 2) * 1000,
  };
}

/** An optional endpoint setting: undefined when unset, else an http(s) URL without a trailing slash. */
export function optionalEndpoint(env: Env, name: string): string | undefined {
  return first(env, name) ? baseUrlSetting(env, name, "").replace(/\/$/, "") : undefined;
}
