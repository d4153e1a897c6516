// Settings of the machine-learning family (DataRobot, Amazon SageMaker): vendor base URLs with
// their public defaults and the pace of the hub's looks at their jobs.
// Read from the environment object src/config.ts hands over, never from the process itself.
import { baseUrlSetting, Env, first, secondsSetting } from "./values";

export interface MlSettings {
  /** DataRobot's application URL (DATAROBOT_URL), without a trailing slash; the `datarobot_url` param wins. */
  dataRobotUrl: string;
  /** Longest an execute waits for DataRobot to read Looker's data and make the project. */
  dataRobotWaitMs: number;
  /** Between two looks at DataRobot's project status. */
  dataRobotPollMs: number;
  /** AWS_SAGEMAKER_ENDPOINT: replaces the region's SageMaker endpoint (VPC endpoints, tests). */
  sageMakerEndpoint?: string;
  /** Between two looks at a training job the hub follows. */
  sageMakerPollMs: number;
}

export function mlSettings(env: Env): MlSettings {
  return {
    dataRobotUrl: baseUrlSetting(env, "DATAROBOT_URL", "https://app.datarobot.com").replace(/\/$/, ""),
    dataRobotWaitMs: secondsSetting(env, "DATAROBOT_WAIT_SECONDS", 60) * 1000,
    dataRobotPollMs: secondsSetting(env, "DATAROBOT_POLL_SECONDS", 2) * 1000,
    sageMakerEndpoint: optionalEndpoint(env, "AWS_SAGEMAKER_ENDPOINT"),
    sageMakerPollMs: secondsSetting(env, "SAGEMAKER_POLL_SECONDS", 60) * 1000,
  };
}

/** An optional endpoint setting: undefined when unset, else an http(s) URL without a trailing slash. */
export function optionalEndpoint(env: Env, name: string): string | undefined {
  return first(env, name) ? baseUrlSetting(env, name, "").replace(/\/$/, "") : undefined;
}
