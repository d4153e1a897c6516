// Preloaded (`node -r`) into both hubs by the "official" bench part, and only there: host names
// under the domains in BENCH_LOOPBACK_DOMAINS (comma-separated, e.g. "zapier.com") resolve to
// 127.0.0.1 without asking DNS, so each hub's own vendor-host check passes while every byte stays
// on loopback. Neither hub's code is changed. Plain JavaScript: the official hub loads it too.
"use strict";
const dns = require("dns");

const domains = (process.env.BENCH_LOOPBACK_DOMAINS || "").split(",").map((d) => d.trim().toLowerCase()).filter(Boolean);
const onLoopback = (host) => {
  const name = String(host).toLowerCase().replace(/\.$/, "");
  return domains.some((d) => name === d || name.endsWith(`.${d}`));
};
const answer = (options) => (options && typeof options === "object" && options.all)
  ? [{ address: "127.0.0.1", family: 4 }] : undefined;

const lookup = dns.lookup;
dns.lookup = function (host, options, callback) {
  if (!onLoopback(host)) { return lookup.apply(this, arguments); }
  const done = typeof options === "function" ? options : callback;
  const all = answer(options);
  process.nextTick(() => (all ? done(null, all) : done(null, "127.0.0.1", 4)));
  return {};
};
const promisesLookup = dns.promises.lookup;
dns.promises.lookup = function (host, options) {
  if (!onLoopback(host)) { return promisesLookup.apply(this, arguments); }
  return Promise.resolve(answer(options) || { address: "127.0.0.1", family: 4 });
};
