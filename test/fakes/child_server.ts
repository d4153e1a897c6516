// What the tests' child-process servers (PostgreSQL, sshd, Azurite) share: a free loopback port
// to give them, and a stop that waits for the process to be gone.
import { ChildProcess } from "child_process";
import { childServerPort } from "./closed_port";

/** A loopback port nothing listens on right now, which no listen(0) can take before the child binds it. */
export const freePort = childServerPort;

/** Sends SIGTERM and resolves once the process has exited. */
export async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) { return; }
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}
