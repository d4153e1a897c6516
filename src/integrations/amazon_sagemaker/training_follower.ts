// What happens after a training delivery answers: the hub follows the job (DescribeTrainingJob
// every SAGEMAKER_POLL_SECONDS) until it ends, then creates the model (Completed) and mails the
// outcome, as the official hub did. Unlike the official hub, a restart loses nothing silently:
// each job the hub follows has a marker in its bucket (`looker-hub-pending/<job>.json`), removed
// once its outcome is mailed; the next training delivery into that bucket, in any process, takes
// up every marker nobody follows (finishing jobs that ended meanwhile). The follow is bounded: at
// the job's maximum runtime plus an hour the hub mails that it stopped looking and keeps the marker.
import type { S3Client } from "@aws-sdk/client-s3";
import type { DescribeTrainingJobCommandOutput, SageMakerClient } from "@aws-sdk/client-sagemaker";
import { detached } from "../../lib/abort_scope";
import type { Logger } from "../../lib/logger";
import { sageMakerProblem, sageMakerSdk } from "./sagemaker_client";
import { Mail, Mailer, MailSettings, sendStatusMail } from "./training_mail";

/** The S3 module (and with it the AWS SDK) loads when a training is followed, not when the hub starts. */
const smallObjects = async () => (await import("../../lib/object_stores/s3")).s3SmallObjects;

export const MARKER_PREFIX = "looker-hub-pending/";
/** After the job's maximum runtime, how long the hub still looks before giving up. */
const FOLLOW_MARGIN_MS = 60 * 60 * 1000;
/** Markers taken up per delivery at most. */
const MAX_RESUMED = 20;

/** What a marker holds: enough to finish the job in another process, no credentials. */
export interface TrainingRecord {
  jobName: string;
  modelName: string;
  image: string;
  roleArn: string;
  region: string;
  bucket: string;
  maxRuntimeSeconds: number;
  /** Epoch milliseconds. */
  startedAt: number;
}

/** The request's means to reach SageMaker, S3 and the mail server, kept while the job is followed. */
export interface FollowMeans {
  sagemaker: SageMakerClient;
  s3: S3Client;
  mail: MailSettings;
  mailer: Mailer;
  logger: Logger;
  pollMs: number;
}

export function markerKey(jobName: string): string { return `${MARKER_PREFIX}${jobName}.json`; }

export class TrainingFollowers {
  private readonly following = new Map<string, Promise<void>>();
  /** Ends the waits between looks at once (stopAll). */
  private readonly wakers = new Set<() => void>();
  private stopped = false;

  /** Writes the job's marker, then follows it in the background. */
  async start(record: TrainingRecord, means: FollowMeans): Promise<void> {
    await (await smallObjects()).put(means.s3, record.bucket, markerKey(record.jobName), JSON.stringify(record));
    this.follow(record, means);
  }

  /** Takes up the bucket's markers that no loop of this process follows; answers how many. */
  async resume(bucket: string, means: FollowMeans, sagemakerFor: (region: string) => Promise<SageMakerClient>):
    Promise<number> {
    let keys: string[];
    try {
      keys = await (await smallObjects()).list(means.s3, bucket, MARKER_PREFIX, MAX_RESUMED);
    } catch (err) {
      means.logger.warn("sagemaker: could not list the bucket's pending training jobs", { code: errorCode(err) });
      return 0;
    }
    let taken = 0;
    for (const key of keys) {
      const record = parseRecord(await (await smallObjects()).get(means.s3, bucket, key).catch(() => undefined));
      if (!record || record.bucket !== bucket || this.following.has(followKey(record))) { continue; }
      this.follow(record, { ...means, sagemaker: await sagemakerFor(record.region) });
      taken++;
    }
    return taken;
  }

  /** Stops every loop at its next step, as a process ending does (tests of a restart). */
  stopAll(): void {
    this.stopped = true;
    for (const wake of this.wakers) { wake(); }
  }

  /** Lets loops run again after stopAll (a new process, in tests). */
  restart(): void { this.stopped = false; this.following.clear(); }

  /** Settles when every loop has ended (tests). */
  async idle(): Promise<void> { await Promise.all(this.following.values()); }

  get count(): number { return this.following.size; }

  private follow(record: TrainingRecord, means: FollowMeans): void {
    const key = followKey(record);
    if (this.following.has(key)) { return; }
    // The loop outlives the delivery: Looker hanging up after the answer must not stop it.
    const loop = detached(() => this.loop(record, means)).catch((err) => {
      means.logger.error("sagemaker: following a training job failed", { code: errorCode(err) });
    }).finally(() => { if (this.following.get(key) === loop) { this.following.delete(key); } });
    this.following.set(key, loop);
  }

  private async loop(record: TrainingRecord, means: FollowMeans): Promise<void> {
    const deadline = record.startedAt + record.maxRuntimeSeconds * 1000 + FOLLOW_MARGIN_MS;
    const { DescribeTrainingJobCommand } = await sageMakerSdk();
    for (;;) {
      if (this.stopped) { return; }
      let job: DescribeTrainingJobCommandOutput | undefined;
      try {
        job = await means.sagemaker.send(new DescribeTrainingJobCommand({ TrainingJobName: record.jobName }));
      } catch (err) {
        means.logger.warn("sagemaker: could not read a training job's status", { code: errorCode(err) });
      }
      if (this.stopped) { return; }
      const status = job?.TrainingJobStatus;
      if (status === "Completed") { return this.completed(record, job!, means); }
      if (status === "Failed" || status === "Stopped") { return this.ended(record, job!, means); }
      if (Date.now() > deadline) {
        return this.mail(means, {
          subject: `Training job ${record.jobName} timed out`,
          text: `The training job ${record.jobName} was still ${status ?? "not readable"} after its maximum run ` +
            `time of ${record.maxRuntimeSeconds} seconds and an hour more, so the Looker integration hub stopped ` +
            `following it. The next delivery of a SageMaker training schedule into the bucket ${record.bucket} looks at it ` +
            `again; or create the model "${record.modelName}" in SageMaker once the job is done.`,
        });
      }
      await this.pause(means.pollMs);
    }
  }

  /** Waits between looks; the timer does not keep the process alive. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => { clearTimeout(timer); this.wakers.delete(wake); resolve(); };
      const timer = setTimeout(wake, ms);
      timer.unref();
      this.wakers.add(wake);
    });
  }

  private async completed(record: TrainingRecord, job: DescribeTrainingJobCommandOutput, means: FollowMeans) {
    const { CreateModelCommand } = await sageMakerSdk();
    const artifacts = job.ModelArtifacts?.S3ModelArtifacts;
    try {
      const created = await means.sagemaker.send(new CreateModelCommand({
        ModelName: record.modelName, ExecutionRoleArn: record.roleArn,
        PrimaryContainer: { Image: record.image, ModelDataUrl: artifacts },
      }));
      await this.mail(means, {
        subject: `The model ${record.modelName} has been created`,
        text: `The training job ${record.jobName} completed and the model ${record.modelName} has been created ` +
          `(${created.ModelArn}).\n\nModel artifacts: ${artifacts}\nImage: ${record.image}\n\nUse it with the ` +
          "Amazon SageMaker Infer action in Looker.",
      });
    } catch (err) {
      const problem = sageMakerProblem(err, "creating the model");
      // Another process finished this job first (a marker taken up twice): nothing left to do.
      if (!/already existing model/i.test((err as Error).message ?? "")) {
        await this.mail(means, {
          subject: `The model ${record.modelName} could not be created`,
          text: `The training job ${record.jobName} completed, but the model ${record.modelName} could not be ` +
            `created: ${problem.message}\n\nModel artifacts: ${artifacts}`,
        });
      }
    }
    await this.done(record, means);
  }

  private async ended(record: TrainingRecord, job: DescribeTrainingJobCommandOutput, means: FollowMeans) {
    const failed = job.TrainingJobStatus === "Failed";
    await this.mail(means, {
      subject: `Training job ${record.jobName} ${failed ? "failed" : "was stopped"}`,
      text: `The training job ${record.jobName} ${failed ? "failed" : "was stopped"}` +
        `${job.FailureReason ? `: ${job.FailureReason}` : "."}\n\nNo model was created.`,
    });
    await this.done(record, means);
  }

  private async done(record: TrainingRecord, means: FollowMeans): Promise<void> {
    await (await smallObjects()).remove(means.s3, record.bucket, markerKey(record.jobName)).catch((err) => {
      means.logger.warn("sagemaker: could not remove a finished job's marker", { code: errorCode(err) });
    });
  }

  private async mail(means: FollowMeans, mail: Mail): Promise<void> {
    await sendStatusMail(means.mailer, means.mail, mail, means.logger).catch((err) => {
      means.logger.error("sagemaker: a status mail was not sent", { code: errorCode(err) });
    });
  }
}

/**
 * What a log line may say of a failure: its kind, never its message (SageMaker's and S3's words can
 * hold names and addresses typed by users).
 */
function errorCode(err: unknown): string {
  const e = err as { name?: string; code?: string; Code?: string };
  return String(e?.code ?? e?.Code ?? e?.name ?? "unknown").slice(0, 60);
}

function followKey(record: TrainingRecord): string { return `${record.region}/${record.jobName}`; }

function parseRecord(text: string | undefined): TrainingRecord | undefined {
  if (!text) { return undefined; }
  try {
    const r = JSON.parse(text);
    const texts = ["jobName", "modelName", "image", "roleArn", "region", "bucket"];
    const ok = texts.every((k) => typeof r[k] === "string") && Number.isFinite(r.maxRuntimeSeconds) &&
      Number.isFinite(r.startedAt);
    return ok ? r : undefined;
  } catch {
    return undefined;
  }
}

/** The followers of this process. */
export const trainingFollowers = new TrainingFollowers();
