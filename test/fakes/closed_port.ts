// Loopback ports below the kernel's ephemeral range, which no listen(0) or outgoing connection
// is ever given: one that refuses connections for the whole test, whatever starts after it, and
// one for a child process's server to listen on (a port picked by number before it starts).
import * as fs from "fs";
import * as net from "net";

/** Where Linux's ephemeral range starts when /proc does not say (its default; macOS starts higher). */
const DEFAULT_EPHEMERAL_LOW = 32768;
/** The lowest port tried: above the fixed ports the suite's real servers use (Azurite's 10000-10002). */
const LOWEST = 20000;

/** The first port of the range the kernel hands out to listen(0) and to outgoing connections. */
export function ephemeralLow(): number {
  try {
    const low = Number(fs.readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 1024 ? low : DEFAULT_EPHEMERAL_LOW;
  } catch {
    return DEFAULT_EPHEMERAL_LOW;
  }
}

/** Whether nothing listens on 127.0.0.1:`port` now (found by listening there, then closing). */
function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/**
 * A port on 127.0.0.1 that nothing listens on and that no server started later is given.
 * A port freed from listen(0) is not enough: the next listen(0), a fake's or the hub's, can get
 * it back, and the "refused" address then answers. This one is below the ephemeral range, which
 * only a server asking for that port by number could take.
 */
export function closedPort(): Promise<number> {
  return freeBelowEphemeral("refusing");
}

/**
 * A port on 127.0.0.1 for a child process's server (PostgreSQL, sshd, Azurite, a hub), free now. A
 * port freed from listen(0) was not enough: between its close and the child's bind, a listen(0)
 * in this or the other mocha worker could be given it, and the child then failed to start or,
 * for a check that only connects, the suite talked to another test's server. Picked from the
 * half of the range above closedPort's, so a child never takes a port a test expects to refuse.
 */
export function childServerPort(): Promise<number> {
  return freeBelowEphemeral("serving");
}

/** A free port of the refusing (lower) or serving (upper) half of [LOWEST, ephemeral low). */
async function freeBelowEphemeral(half: "refusing" | "serving"): Promise<number> {
  const low = ephemeralLow();
  const from = Math.min(LOWEST, low - 1000);
  const middle = from + Math.floor((low - from) / 2);
  const [start, end] = half === "refusing" ? [from, middle] : [middle, low];
  for (let tries = 0; tries < 100; tries++) {
    const port = start + Math.floor(Math.random() * (end - start));
    if (await isFree(port)) { return port; }
  }
  throw new Error(`no free port in ${start}-${end - 1} on 127.0.0.1 after 100 tries`);
}
