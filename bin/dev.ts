// `npm run dev`: the hub in development mode under Node's file watcher (restarts when a file in
// src/ changes). The port is checked first: Node's watcher, when the hub cannot listen, would
// wait for a file change for ever instead of saying so; here that is one line and exit 1.
import { spawn } from "child_process";
import * as net from "net";
import * as path from "path";
import { ConfigError, processConfig } from "../src/config";

const ROOT = path.join(__dirname, "..");

/** The error listening on the port gives, or undefined when it is free. */
function probe(port: number, host: string): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", (err: NodeJS.ErrnoException) => resolve(err));
    server.listen(port, host, () => server.close(() => resolve(undefined)));
  });
}

export function portMessage(err: NodeJS.ErrnoException, port: number, host: string): string {
  if (err.code === "EADDRINUSE") {
    return `Port ${port} on ${host} is already in use (another hub or \`npm run dev\`?): stop it, or run on ` +
      `another port, e.g. PORT=${port === 8080 ? 8081 : port + 1} npm run dev.`;
  }
  if (err.code === "EACCES") { return `Port ${port} on ${host} needs more privileges: set PORT above 1023.`; }
  return `Cannot listen on ${host}:${port} (${err.code ?? err.message}): set PORT and HOST to an address you can use.`;
}

async function main(): Promise<number> {
  let config;
  try {
    config = processConfig("development");
  } catch (err) {
    if (!(err instanceof ConfigError)) { throw err; }
    process.stderr.write(`${err.message}\n`);
    return 1;
  }
  if (config.port !== 0) {
    const err = await probe(config.port, config.host);
    if (err) {
      process.stderr.write(`${portMessage(err, config.port, config.host)}\n`);
      return 1;
    }
  }
  const child = spawn(process.execPath, [
    `--watch-path=${path.join(ROOT, "src")}`, "--watch-preserve-output",
    "-r", "ts-node/register/transpile-only", path.join(ROOT, "src", "boot.ts"), "--dev",
  ], { stdio: "inherit", cwd: process.cwd() });
  // Ctrl-C reaches the whole process group, the watcher included; a SIGTERM sent to this
  // process alone is passed on. Either way this process ends when the watcher does.
  process.on("SIGINT", () => undefined);
  process.on("SIGTERM", () => child.kill("SIGTERM"));
  return new Promise((resolve) => child.on("exit", (code) => resolve(code ?? 0)));
}

if (require.main === module) {
  main().then((code) => { process.exitCode = code; }, (err) => {
    process.stderr.write(`npm run dev could not start: ${(err as Error).message}\n`);
    process.exitCode = 1;
  });
}
