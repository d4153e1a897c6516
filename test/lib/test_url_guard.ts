// The guard's decisions, with DNS stubbed: nothing here opens a connection.
import { expect } from "chai";
import * as sinon from "sinon";
import { addressProblem, LookupFunction, UrlGuard, UrlRefusedError } from "../../src/lib/url_guard";

const STRICT = { allowPrivate: false, allowHttp: false, allowlist: [] as string[] };

function resolvingTo(...addresses: string[]): sinon.SinonStub & LookupFunction {
  return sinon.stub().resolves(addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }))) as any;
}

async function refusal(guard: UrlGuard, url: string): Promise<UrlRefusedError> {
  try {
    await guard.check(url);
  } catch (err) {
    expect(err).to.be.instanceOf(UrlRefusedError);
    return err as UrlRefusedError;
  }
  throw new Error(`${url} was accepted`);
}

describe("url guard: address classification", () => {
  const cases: Array<[string, RegExp]> = [
    ["127.0.0.1", /loopback/], ["127.9.9.9", /loopback/], ["::1", /loopback/],
    ["10.1.2.3", /private/], ["172.16.0.1", /private/], ["172.31.255.255", /private/], ["192.168.1.1", /private/],
    ["169.254.169.254", /metadata/], ["169.254.170.2", /metadata/], ["fd00:ec2::254", /metadata/],
    ["100.100.100.200", /metadata/],
    ["169.254.1.1", /link-local/], ["fe80::1", /link-local/],
    ["fc00::1", /unique-local/], ["fd12:3456::1", /unique-local/],
    ["0.0.0.0", /unspecified/], ["::", /unspecified/], ["100.64.0.1", /shared/], ["224.0.0.1", /multicast/],
    ["::ffff:127.0.0.1", /loopback/], ["::ffff:7f00:1", /loopback/], ["::ffff:a00:1", /private/],
    ["::ffff:169.254.169.254", /metadata/], ["64:ff9b::a9fe:a9fe", /metadata/], ["2002:c0a8:0101::1", /private/],
    // IPv6 forms that embed IPv4, judged by the embedded address (issue 11).
    ["::ffff:0:127.0.0.1", /loopback/], ["::ffff:0:a9fe:a9fe", /metadata/], ["::ffff:0:c0a8:101", /private/],
    ["64:ff9b::127.0.0.1", /loopback/], ["64:ff9b::10.0.0.1", /private/],
    ["64:ff9b:1::a9fe:a9fe", /metadata/], ["64:ff9b:1:a9fe:a9:fe00::", /metadata/], ["64:ff9b:1:7f00:0:100::", /loopback/],
    ["2002:7f00:1::", /loopback/], ["2002:a9fe:a9fe::1", /metadata/],
    // Teredo: server 65.54.227.120; client 10.0.0.1 / 127.0.0.1 / 169.254.169.254 obfuscated (XOR ffff:ffff).
    ["2001:0:4136:e378:8000:63bf:f5ff:fffe", /private/], ["2001:0:4136:e378:8000:63bf:80ff:fffe", /loopback/],
    ["2001:0:4136:e378::5601:5601", /metadata/], ["2001:0:a00:1::1", /private/],
  ];
  for (const [address, reason] of cases) {
    it(`refuses ${address}`, () => {
      expect(addressProblem(address)).to.match(reason);
    });
  }

  for (const address of ["93.184.216.34", "8.8.8.8", "172.32.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8",
    "::ffff:0:8.8.8.8", "64:ff9b::8.8.8.8", "64:ff9b:1:808:8:800::", "2002:808:808::1",
    "2001:0:4136:e378:8000:63bf:f7f7:f7f7", "2001:4860:4860::8888"]) {
    it(`accepts the public address ${address}`, () => {
      expect(addressProblem(address)).to.equal(undefined);
    });
  }
});

describe("url guard: URLs", () => {
  afterEach(() => sinon.restore());

  it("refuses private, loopback, metadata and IPv6 loopback literals without resolving", async () => {
    const lookup = resolvingTo("93.184.216.34");
    const guard = new UrlGuard(STRICT, lookup);
    expect((await refusal(guard, "https://10.0.0.5/hook")).message).to.match(/10\.0\.0\.5, a private network address/);
    expect((await refusal(guard, "https://127.0.0.1:8443/hook")).message).to.match(/loopback/);
    expect((await refusal(guard, "https://169.254.169.254/latest/meta-data")).message).to.match(/cloud metadata/);
    expect((await refusal(guard, "https://[::1]/hook")).message).to.match(/::1, a loopback address/);
    expect((await refusal(guard, "https://[fe80::1]/hook")).message).to.match(/link-local/);
    expect((await refusal(guard, "https://[fd00::5]/hook")).message).to.match(/unique-local/);
    expect((await refusal(guard, "https://[::ffff:192.168.0.1]/")).message).to.match(/private/);
    expect(lookup.called).to.equal(false);
  });

  it("refuses names and literals of IPv6 forms that embed a private IPv4 address (DNS stubbed)", async () => {
    for (const address of ["::ffff:0:a9fe:a9fe", "64:ff9b::a00:1", "64:ff9b:1:7f00:0:100::", "2002:c0a8:101::1",
      "2001:0:4136:e378:8000:63bf:f5ff:fffe"]) {
      const lookup = resolvingTo(address);
      const guard = new UrlGuard(STRICT, lookup);
      expect((await refusal(guard, "https://embedded.example.com/in")).message, address)
        .to.match(/resolves to .* a (private network|loopback|cloud metadata) address/);
      expect((await refusal(guard, `https://[${address}]/in`)).message, address).to.match(/points at/);
    }
    // Allowlisting the embedded IPv4 address lets its IPv6 forms through, as for the address itself.
    const allowing = new UrlGuard({ ...STRICT, allowlist: ["10.0.0.0/8"] }, resolvingTo("64:ff9b::a00:1"));
    await allowing.check("https://embedded.example.com/in");
  });

  it("refuses a DNS name that resolves to a private address, naming host and address", async () => {
    const guard = new UrlGuard(STRICT, resolvingTo("203.0.114.1", "192.168.10.20"));
    const err = await refusal(guard, "https://hooks.example.com/in");
    expect(err.message).to.contain("hooks.example.com resolves to 192.168.10.20, a private network address");
    expect(err.message).to.contain("ALLOW_PRIVATE_URLS");
  });

  it("refuses local names before asking DNS", async () => {
    const lookup = resolvingTo("93.184.216.34");
    const guard = new UrlGuard(STRICT, lookup);
    await refusal(guard, "https://localhost/x");
    await refusal(guard, "https://metadata.google.internal/computeMetadata/v1/");
    expect(lookup.called).to.equal(false);
  });

  it("accepts a public https URL and refuses other schemes", async () => {
    const guard = new UrlGuard(STRICT, resolvingTo("93.184.216.34"));
    expect((await guard.check("https://hooks.example.com/a?b=c")).host).to.equal("hooks.example.com");
    expect((await refusal(guard, "http://hooks.example.com/a")).message).to.match(/must start with https:\/\//);
    expect((await refusal(guard, "ftp://hooks.example.com/a")).message).to.match(/https/);
    expect((await refusal(guard, "file:///etc/passwd")).message).to.match(/https/);
    expect((await refusal(guard, "not a url")).message).to.match(/not valid/);
  });

  it("accepts http when configured", async () => {
    const guard = new UrlGuard({ ...STRICT, allowHttp: true }, resolvingTo("93.184.216.34"));
    expect((await guard.check("http://hooks.example.com/a")).protocol).to.equal("http:");
  });

  it("ALLOW_PRIVATE_URLS lifts the address check", async () => {
    const lookup = resolvingTo("10.0.0.1");
    const guard = new UrlGuard({ ...STRICT, allowPrivate: true }, lookup);
    expect((await guard.check("https://10.0.0.1/")).hostname).to.equal("10.0.0.1");
    expect((await guard.check("https://intranet.corp/")).hostname).to.equal("intranet.corp");
  });

  it("the allowlist opens exactly its blocks", async () => {
    const guard = new UrlGuard({ ...STRICT, allowlist: ["10.1.0.0/16", "fd00::7"] }, resolvingTo("10.1.2.3"));
    expect((await guard.check("https://intranet.corp/")).hostname).to.equal("intranet.corp");
    await guard.check("https://[fd00::7]/");
    await guard.check("https://[::ffff:10.1.9.9]/");
    expect((await refusal(guard, "https://10.2.0.1/")).message).to.match(/private/);
    expect((await refusal(guard, "https://169.254.169.254/")).message).to.match(/metadata/);
  });

  it("a name that does not exist is a clear user error", async () => {
    const lookup = sinon.stub().rejects(Object.assign(new Error("nope"), { code: "ENOTFOUND" }));
    const guard = new UrlGuard(STRICT, lookup as any);
    try {
      await guard.check("https://no-such-host.example/");
      expect.fail("accepted");
    } catch (err) {
      expect((err as Error).message).to.equal("The host no-such-host.example could not be found. Check the URL for typos.");
    }
  });

  it("the connect-time lookup refuses an address that changed since the check (DNS rebinding)", async () => {
    const lookup = sinon.stub();
    lookup.onFirstCall().resolves([{ address: "93.184.216.34", family: 4 }]);
    lookup.onSecondCall().resolves([{ address: "169.254.169.254", family: 4 }]);
    const guard = new UrlGuard(STRICT, lookup as any);
    await guard.check("https://rebind.example.com/");
    const result = await new Promise<{ err: Error | null; address: unknown }>((resolve) => {
      guard.connectLookup("rebind.example.com", { all: true }, (err, address) => resolve({ err, address }));
    });
    expect(result.err).to.be.instanceOf(UrlRefusedError);
    expect(result.err!.message).to.match(/169\.254\.169\.254, a cloud metadata address/);
    expect(result.address).to.equal(undefined);
  });

  it("the connect-time lookup answers both callback shapes for allowed addresses", async () => {
    const guard = new UrlGuard(STRICT, resolvingTo("93.184.216.34", "2606:4700::1"));
    const single = await new Promise<unknown[]>((resolve) => {
      guard.connectLookup("a.example", { family: 6 }, (...args) => resolve(args));
    });
    expect(single).to.deep.equal([null, "2606:4700::1", 6]);
    const all = await new Promise<unknown[]>((resolve) => {
      guard.connectLookup("a.example", { all: true }, (...args) => resolve(args));
    });
    expect((all[1] as unknown[]).length).to.equal(2);
  });
});
