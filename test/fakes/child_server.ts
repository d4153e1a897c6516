// What the tests' child-process servers (PostgreSQL, sshd, Azurite) share besides their port
// (childServerPort, closed_port.ts): a stop that waits for the process to be gone.
import { ChildProcess } from "child_process";

/** Sends SIGTERM and resolves once the process has exited. */
export async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) { return; }
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}
