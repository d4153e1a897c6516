// The guard for URLs that users type (form fields, params). A URL from a user must not make
// the hub reach into its own network: loopback, private ranges, link-local, unique-local and
// cloud metadata addresses (where instance credentials live) are refused. The host is checked
// when the URL is accepted and again on the address actually connected (`connectLookup`), so
// a DNS answer that changes in between (DNS rebinding) is caught too; redirects are checked
// by the HTTP client with `check()` before they are followed.
import * as dns from "dns";
import * as net from "net";
import { UserError } from "./errors";

/** Resolves a host name to all of its addresses; injectable so tests never depend on real DNS. */
export type LookupFunction = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

export const systemLookup: LookupFunction = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

export interface UrlGuardPolicy {
  /** ALLOW_PRIVATE_URLS: no address check at all. */
  allowPrivate: boolean;
  /** ALLOW_HTTP_URLS: plain http:// accepted besides https://. */
  allowHttp: boolean;
  /** PRIVATE_URL_ALLOWLIST: IPs or CIDR blocks reachable even though they are private. */
  allowlist: string[];
}

/** A URL the guard refuses; the message says why and what to do. */
export class UrlRefusedError extends UserError {}

interface Range { base: bigint; bits: number; what: string; }

function ipv4ToBigInt(ip: string): bigint {
  return ip.split(".").reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

/** The 128-bit value of an IPv6 address, including forms with an embedded IPv4 tail. */
function ipv6ToBigInt(ip: string): bigint {
  let text = ip.split("%")[0];
  const tail4 = text.match(/(\d+\.\d+\.\d+\.\d+)$/);
  if (tail4) {
    const n = ipv4ToBigInt(tail4[1]);
    text = text.slice(0, -tail4[1].length) + `${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head, tail] = text.split("::");
  const headGroups = head ? head.split(":") : [];
  const tailGroups = tail !== undefined && tail !== "" ? tail.split(":") : [];
  const zeros = tail === undefined ? 0 : 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array(zeros).fill("0"), ...tailGroups];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

function v4(cidr: string, what: string): Range {
  const [ip, bits] = cidr.split("/");
  return { base: ipv4ToBigInt(ip), bits: Number(bits), what };
}

function v6(cidr: string, what: string): Range {
  const [ip, bits] = cidr.split("/");
  return { base: ipv6ToBigInt(ip), bits: Number(bits), what };
}

const LOOPBACK = "a loopback address";
const PRIVATE = "a private network address";
const LINK_LOCAL = "a link-local address";
const METADATA = "a cloud metadata address";
const RESERVED = "a reserved address";

// Order matters: the first matching range names the reason, so metadata comes before link-local.
const IPV4_RANGES: Range[] = [
  v4("169.254.169.254/32", METADATA), v4("169.254.170.2/32", METADATA),
  v4("100.100.100.200/32", METADATA), v4("192.0.0.192/32", METADATA),
  v4("0.0.0.0/8", "an unspecified address"),
  v4("10.0.0.0/8", PRIVATE), v4("172.16.0.0/12", PRIVATE), v4("192.168.0.0/16", PRIVATE),
  v4("100.64.0.0/10", "a shared (carrier-grade NAT) address"),
  v4("127.0.0.0/8", LOOPBACK),
  v4("169.254.0.0/16", LINK_LOCAL),
  v4("192.0.0.0/24", RESERVED), v4("192.0.2.0/24", RESERVED), v4("198.18.0.0/15", RESERVED),
  v4("198.51.100.0/24", RESERVED), v4("203.0.113.0/24", RESERVED),
  v4("224.0.0.0/4", "a multicast address"), v4("240.0.0.0/4", RESERVED),
];

const IPV6_RANGES: Range[] = [
  v6("fd00:ec2::254/128", METADATA),
  v6("::/128", "an unspecified address"), v6("::1/128", LOOPBACK),
  v6("fc00::/7", "a unique-local address"),
  v6("fe80::/10", LINK_LOCAL), v6("fec0::/10", PRIVATE),
  v6("ff00::/8", "a multicast address"),
  v6("100::/64", RESERVED), v6("2001:db8::/32", RESERVED),
];

function inRange(value: bigint, range: Range, width: number): boolean {
  const shift = BigInt(width - range.bits);
  return (value >> shift) === (range.base >> shift);
}

const LOW32 = 0xffffffffn;

/**
 * The IPv4 addresses an IPv6 form carries, to be judged instead of it: mapped
 * (::ffff:0:0/96), SIIT (::ffff:0:0:0/96), compatible (::/96), NAT64 (64:ff9b::/96, and the
 * local-use 64:ff9b:1::/48 in its /48 and /96 layouts, RFC 6052), 6to4 (2002::/16) and
 * Teredo (2001::/32: the server, and the client obfuscated by XOR).
 */
function embeddedIpv4(value: bigint): string[] {
  const toIp = (n: bigint) => [24n, 16n, 8n, 0n].map((s) => Number((n >> s) & 0xffn)).join(".");
  const high96 = value >> 32n;
  if (high96 === 0xffffn || high96 === 0xffff0000n || high96 === 0x64ff9b0000000000000000n) {
    return [toIp(value & LOW32)];
  }
  if (high96 === 0n && value > 1n) { return [toIp(value)]; }
  if (value >> 80n === 0x64ff9b0001n) {
    // The /96 layout when only the last 32 bits are set; else RFC 6052's /48: 16 bits of
    // the address, the reserved octet, the other 16 bits.
    if (((value >> 32n) & 0xffffffffffffn) === 0n) { return [toIp(value & LOW32)]; }
    return [toIp((((value >> 64n) & 0xffffn) << 16n) | ((value >> 40n) & 0xffffn))];
  }
  if (value >> 112n === 0x2002n) { return [toIp((value >> 80n) & LOW32)]; }
  if (value >> 96n === 0x20010000n) { return [toIp((value >> 64n) & LOW32), toIp((value & LOW32) ^ LOW32)]; }
  return [];
}

/** Why this address must not be reached from a user's URL, or undefined when it may be. */
export function addressProblem(address: string): string | undefined {
  const family = net.isIP(address.split("%")[0]);
  if (family === 4) {
    const value = ipv4ToBigInt(address);
    return IPV4_RANGES.find((r) => inRange(value, r, 32))?.what;
  }
  if (family === 6) {
    const value = ipv6ToBigInt(address);
    const inner = embeddedIpv4(value);
    // Judged by the IPv4 address inside: refused when any of them is.
    if (inner.length) { return inner.map(addressProblem).find((p) => p !== undefined); }
    return IPV6_RANGES.find((r) => inRange(value, r, 128))?.what;
  }
  return "not an IP address";
}

const BLOCKED_NAMES = /^(localhost|.*\.localhost|metadata|metadata\.google\.internal)\.?$/i;

function advice(): string {
  return "For safety this integration service only sends data to public internet addresses. Use the " +
    "destination's public URL, or ask your admin to allow that address (PRIVATE_URL_ALLOWLIST or ALLOW_PRIVATE_URLS).";
}

export class UrlGuard {
  private readonly allowlist = new net.BlockList();

  constructor(readonly policy: UrlGuardPolicy, private readonly lookup: LookupFunction = systemLookup) {
    for (const entry of policy.allowlist) {
      const [ip, bits] = entry.split("/");
      const type = net.isIP(ip) === 6 ? "ipv6" : "ipv4";
      if (bits === undefined) {
        this.allowlist.addAddress(ip, type);
      } else {
        this.allowlist.addSubnet(ip, Number(bits), type);
      }
    }
  }

  /** Why the address is refused under this policy, or undefined. */
  problemWith(address: string): string | undefined {
    if (this.policy.allowPrivate) { return undefined; }
    const problem = addressProblem(address);
    if (!problem) { return undefined; }
    const plain = address.split("%")[0];
    const family = net.isIP(plain);
    if (family && this.allowlist.check(plain, family === 6 ? "ipv6" : "ipv4")) { return undefined; }
    const inner = family === 6 ? embeddedIpv4(ipv6ToBigInt(plain)) : [];
    if (inner.length && inner.every((ip) => !addressProblem(ip) || this.allowlist.check(ip, "ipv4"))) {
      return undefined;
    }
    return problem;
  }

  /** Checks scheme, host name and every address the host resolves to; answers the parsed URL. */
  async check(input: string | URL): Promise<URL> {
    let url: URL;
    try {
      url = typeof input === "string" ? new URL(input.trim()) : input;
    } catch {
      throw new UrlRefusedError("The URL is not valid: it should look like https://example.com/path.");
    }
    const schemes = this.policy.allowHttp ? ["https:", "http:"] : ["https:"];
    if (!schemes.includes(url.protocol)) {
      throw new UrlRefusedError(this.policy.allowHttp
        ? "The URL must start with https:// or http://."
        : "The URL must start with https:// (plain http is not allowed on this integration service).");
    }
    const host = hostOf(url);
    if (!host) { throw new UrlRefusedError("The URL has no host name."); }
    await this.checkHost(host);
    return url;
  }

  /**
   * Checks a host that is not reached by URL (an SMTP relay) like `check` checks a URL's host,
   * and answers the address to connect to, so the address checked is the one used; undefined
   * when the guard is lifted (ALLOW_PRIVATE_URLS) and the system may resolve as it likes.
   */
  async checkHost(host: string): Promise<string | undefined> {
    if (this.policy.allowPrivate) { return undefined; }
    if (net.isIP(host)) {
      this.refuseIfBlocked(host, host, false);
      return host;
    }
    if (BLOCKED_NAMES.test(host)) {
      throw new UrlRefusedError(`The URL's host ${host} is a local or metadata name. ${advice()}`);
    }
    const addresses = await this.resolve(host);
    for (const { address } of addresses) { this.refuseIfBlocked(host, address, true); }
    return addresses[0].address;
  }

  /**
   * A `lookup` for http(s) agents: resolves like the system, then refuses blocked addresses,
   * so the address actually connected is the one checked.
   */
  readonly connectLookup = (
    hostname: string,
    options: { family?: number | string; all?: boolean },
    callback: (err: Error | null, address: any, family?: number) => void,
  ): void => {
    this.resolve(hostname).then((all) => {
      const wanted = options.family === 4 || options.family === "IPv4" ? 4
        : options.family === 6 || options.family === "IPv6" ? 6 : 0;
      const addresses = wanted ? all.filter((a) => a.family === wanted) : all;
      if (!addresses.length) { throw lookupError(hostname); }
      for (const { address } of addresses) { this.refuseIfBlocked(hostname, address, true); }
      if (options.all) {
        callback(null, addresses);
      } else {
        callback(null, addresses[0].address, addresses[0].family);
      }
    }).catch((err) => callback(err, undefined));
  };

  private async resolve(host: string): Promise<Array<{ address: string; family: number }>> {
    let addresses: Array<{ address: string; family: number }>;
    try {
      addresses = await this.lookup(host);
    } catch (err) {
      // A name that does not exist is the user's to fix; other DNS failures may pass (retried).
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "ENOTFOUND" || code === "ENODATA") { throw lookupError(host); }
      throw err;
    }
    if (!addresses.length) { throw lookupError(host); }
    return addresses;
  }

  private refuseIfBlocked(host: string, address: string, resolved: boolean): void {
    const problem = this.problemWith(address);
    if (!problem) { return; }
    const where = resolved ? `The URL's host ${host} resolves to ${address}, ${problem}.`
      : `The URL points at ${address}, ${problem}.`;
    throw new UrlRefusedError(`${where} ${advice()}`);
  }
}

/** The host of a URL without IPv6 brackets. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, "");
}

/** Host names that do not resolve; a user error, since the URL is usually mistyped. */
export class HostNotFoundError extends UserError {}

function lookupError(host: string): HostNotFoundError {
  return new HostNotFoundError(`The host ${host} could not be found. Check the URL for typos.`);
}
