// listen(0) in a test process first gets back the ephemeral port a server of the process freed
// last, as CI's kernel once did (the Slack test of 4383b97: a port freed to be "refused" was handed
// straight to the fake started next, and answered HTTP 404). Linux usually picks at random, so a
// test that counts on a freed port staying closed passed here and failed on CI one run in many;
// with this it fails every run. A port that turns out to be taken meanwhile (by another process)
// falls back to the kernel's own choice. Installed by test/setup.ts.
import * as net from "net";
import { ephemeralLow } from "../fakes/closed_port";

/** Ports freed by this process's servers, the most recent last. */
const freed: number[] = [];

/** The port of a listen(0) call (a number or an options object), and the arguments with another port. */
function ephemeralRequest(args: unknown[]): { retarget(port: number): unknown[] } | undefined {
  const [first] = args;
  if (first === 0 || first === "0") {
    const host = args[1];
    if (typeof host === "string" && host !== "127.0.0.1") { return undefined; }
    return { retarget: (port) => [port, ...args.slice(1)] };
  }
  if (typeof first === "object" && first !== null && !Array.isArray(first)) {
    const options = first as net.ListenOptions;
    if ((options.port === 0 || (options.port as unknown) === "0") && !options.path &&
      (options.host === undefined || options.host === "127.0.0.1")) {
      return { retarget: (port) => [{ ...options, port }, ...args.slice(1)] };
    }
  }
  return undefined;
}

export function installRecycledPorts(): void {
  const proto = net.Server.prototype as net.Server & { __recycledPorts?: boolean };
  if (proto.__recycledPorts) { return; }
  proto.__recycledPorts = true;
  // Only ports of the ephemeral range are handed back, as a kernel would.
  const low = ephemeralLow();
  const listen = proto.listen;
  const close = proto.close;

  proto.close = function closeAndRemember(this: net.Server, ...args: unknown[]) {
    const address = this.address();
    if (address && typeof address === "object" && address.port >= low) {
      freed.push(address.port);
      if (freed.length > 50) { freed.shift(); }
    }
    return (close as (...a: unknown[]) => net.Server).apply(this, args);
  } as typeof close;

  proto.listen = function listenOnFreedPort(this: net.Server, ...args: unknown[]) {
    const request = ephemeralRequest(args);
    const port = request ? freed.pop() : undefined;
    if (!request || port === undefined) { return (listen as (...a: unknown[]) => net.Server).apply(this, args); }
    // Taken meanwhile: listen(0) after all, without the callback again (the first call registered it).
    const emit = this.emit;
    const restore = (server: net.Server) => { delete (server as Partial<net.Server>).emit; };
    this.emit = function emitUnlessTaken(this: net.Server, event: string | symbol, ...rest: unknown[]) {
      if (event === "error" && (rest[0] as NodeJS.ErrnoException | undefined)?.code === "EADDRINUSE") {
        restore(this);
        (listen as (...a: unknown[]) => net.Server).apply(this, args.filter((a) => typeof a !== "function"));
        return true;
      }
      if (event === "listening" || event === "error") { restore(this); }
      return (emit as (event: string | symbol, ...a: unknown[]) => boolean).call(this, event, ...rest);
    } as typeof emit;
    return (listen as (...a: unknown[]) => net.Server).apply(this, request.retarget(port));
  } as typeof listen;
}
