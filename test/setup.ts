// Runs before every test file (and installs the suite's cleanup: test/helpers/suite_cleanup.ts).
// Tests never reach beyond loopback: the system resolver answers
// only for localhost names, and a connection to any other IP literal fails at once (and is
// recorded: test/helpers/dials.ts, so a test can prove nothing tried). Tests that exercise name
// resolution inject their own lookup, which this does not touch.
import dns = require("dns");
import net = require("net");
import { recordRefusedDial } from "./helpers/dials";
import { installRecycledPorts } from "./helpers/recycled_ports";
import { installSuiteCleanup } from "./helpers/suite_cleanup";

process.env.NODE_ENV = "test";
installSuiteCleanup();
// listen(0) hands back the port this process freed last, as CI's kernel did: a test that counts on
// a freed port staying closed fails every run, not one run in many on CI (test/helpers/recycled_ports.ts).
installRecycledPorts();
export { mochaGlobalTeardown } from "./helpers/suite_cleanup";

const LOOPBACK_NAME = /^(localhost|.*\.localhost)$/i;

function isLoopbackIp(host: string): boolean {
  return net.isIPv4(host) ? host.startsWith("127.") : host === "::1" || host === "::ffff:127.0.0.1";
}

function refused(host: string): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(`test/setup.ts: tests may not connect to ${host} (loopback only)`);
  err.code = "ECONNREFUSED";
  return err;
}

const systemLookup = dns.lookup;
(dns as any).lookup = function lookupLoopbackOnly(hostname: string, ...rest: any[]) {
  const callback = rest[rest.length - 1];
  if (!LOOPBACK_NAME.test(hostname) && !(net.isIP(hostname) && isLoopbackIp(hostname))) {
    const err: NodeJS.ErrnoException = new Error(`test/setup.ts: no DNS in tests (${hostname})`);
    err.code = "ENOTFOUND";
    process.nextTick(callback, err);
    return;
  }
  return (systemLookup as any)(hostname, ...rest);
};

const connect = net.Socket.prototype.connect;
(net.Socket.prototype as any).connect = function connectLoopbackOnly(this: net.Socket, ...args: any[]) {
  // net.connect() passes its normalized arguments as one array: [options, callback].
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  const options = typeof first === "object" && first !== null ? first : { port: first, host: args[1] };
  const host: string | undefined = options.host;
  if (!options.path && host && net.isIP(host) && !isLoopbackIp(host)) {
    recordRefusedDial(host);
    process.nextTick(() => this.destroy(refused(host)));
    return this;
  }
  return (connect as any).apply(this, args);
};
