// AWS Signature Version 4 as S3 checks it, for the S3 fake
// (docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-authenticating-requests.html). s3rver checks
// only the access key ID of a SigV4 request and lets any secret through, so a wrong secret would
// pass every test. This recomputes the signature from the request as it arrived (the
// Authorization header, or a presigned URL's query) with its own code, not the SDK's signer, and
// says what AWS says when it does not match.
import * as crypto from "crypto";
import * as http from "http";

export interface SignatureProblem {
  /** AWS's error code: SignatureDoesNotMatch, AccessDenied (an expired link), AuthorizationHeaderMalformed. */
  code: string;
  message: string;
  /** The elements AWS adds to its error body for this code. */
  detail: Record<string, string>;
}

const ALGORITHM = "AWS4-HMAC-SHA256";
const MISMATCH = "The request signature we calculated does not match the signature you provided. " +
  "Check your key and signing method.";

/** RFC 3986 encoding, as SigV4 wants every query name and value. */
function encode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function sha256Hex(text: string): string {
  return crypto.createHash("sha256").update(text, "utf8").digest("hex");
}

function hmac(key: Buffer | string, text: string): Buffer {
  return crypto.createHmac("sha256", key).update(text, "utf8").digest();
}

function hexBytes(text: string): string {
  return Buffer.from(text, "utf8").toString("hex").replace(/(..)(?!$)/g, "$1 ");
}

interface Parsed {
  keyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
  amzDate: string;
  payloadHash: string;
  /** The query without the signature itself (a presigned URL's). */
  query: Array<[string, string]>;
}

function queryPairs(raw: string): Array<[string, string]> {
  if (!raw) { return []; }
  return raw.split("&").filter(Boolean).map((part) => {
    const at = part.indexOf("=");
    return at < 0 ? [decode(part), ""] : [decode(part.slice(0, at)), decode(part.slice(at + 1))];
  });
}

function parse(req: http.IncomingMessage): Parsed | SignatureProblem | undefined {
  const rawUrl = req.url ?? "/";
  const at = rawUrl.indexOf("?");
  const query = queryPairs(at < 0 ? "" : rawUrl.slice(at + 1));
  const header = req.headers.authorization;
  if (typeof header === "string" && header.startsWith(`${ALGORITHM} `)) {
    const parts = new Map(header.slice(ALGORITHM.length + 1).split(",").map((p) => {
      const eq = p.indexOf("=");
      return [p.slice(0, eq).trim(), p.slice(eq + 1).trim()] as [string, string];
    }));
    const credential = (parts.get("Credential") ?? "").split("/");
    if (credential.length !== 5 || !parts.get("SignedHeaders") || !parts.get("Signature")) {
      return { code: "AuthorizationHeaderMalformed", message: "The authorization header is malformed.", detail: {} };
    }
    return { keyId: credential[0], date: credential[1], region: credential[2], service: credential[3],
      signedHeaders: parts.get("SignedHeaders")!.split(";"), signature: parts.get("Signature")!,
      amzDate: String(req.headers["x-amz-date"] ?? ""),
      payloadHash: String(req.headers["x-amz-content-sha256"] ?? "UNSIGNED-PAYLOAD"), query };
  }
  const get = (name: string) => query.find(([k]) => k === name)?.[1];
  if (get("X-Amz-Algorithm") === ALGORITHM && get("X-Amz-Signature")) {
    const credential = (get("X-Amz-Credential") ?? "").split("/");
    return { keyId: credential[0] ?? "", date: credential[1] ?? "", region: credential[2] ?? "",
      service: credential[3] ?? "", signedHeaders: (get("X-Amz-SignedHeaders") ?? "host").split(";"),
      signature: get("X-Amz-Signature")!, amzDate: get("X-Amz-Date") ?? "",
      payloadHash: get("X-Amz-Content-Sha256") ?? "UNSIGNED-PAYLOAD",
      query: query.filter(([k]) => k !== "X-Amz-Signature") };
  }
  return undefined;
}

/** An amz date (20240102T030405Z) as a Date. */
function amzTime(text: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6])) : new Date(NaN);
}

/**
 * What is wrong with the SigV4 signature of `req` for the secret `secretFor(keyId)`, or undefined
 * when it is sound or the request is not SigV4-signed (anonymous, or another scheme: s3rver's own
 * checks answer those). An unknown key ID is left to s3rver too (InvalidAccessKeyId).
 */
export function signatureProblem(
  req: http.IncomingMessage, secretFor: (keyId: string) => string | undefined, now = new Date(),
): SignatureProblem | undefined {
  const parsed = parse(req);
  if (!parsed || "code" in parsed) { return parsed; }
  const secret = secretFor(parsed.keyId);
  if (secret === undefined) { return undefined; }
  const rawUrl = req.url ?? "/";
  const path = rawUrl.split("?")[0] || "/";
  const canonicalQuery = parsed.query.map(([k, v]) => [encode(k), encode(v)])
    .sort(([a, av], [b, bv]) => a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0)
    .map(([k, v]) => `${k}=${v}`).join("&");
  const headerValue = (name: string) => {
    const value = req.headers[name];
    return (Array.isArray(value) ? value.join(",") : String(value ?? "")).trim().replace(/\s+/g, " ");
  };
  const canonicalHeaders = parsed.signedHeaders.map((name) => `${name}:${headerValue(name)}\n`).join("");
  const canonicalRequest = [req.method ?? "GET", path, canonicalQuery, canonicalHeaders,
    parsed.signedHeaders.join(";"), parsed.payloadHash].join("\n");
  const scope = `${parsed.date}/${parsed.region}/${parsed.service}/aws4_request`;
  const stringToSign = [ALGORITHM, parsed.amzDate, scope, sha256Hex(canonicalRequest)].join("\n");
  const key = ["aws4_request"].reduce((k, part) => hmac(k, part),
    [parsed.date, parsed.region, parsed.service].reduce<Buffer | string>((k, part) => hmac(k, part), `AWS4${secret}`));
  const expected = hmac(key, stringToSign).toString("hex");
  const given = Buffer.from(parsed.signature);
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, Buffer.from(expected))) {
    return { code: "SignatureDoesNotMatch", message: MISMATCH, detail: {
      AWSAccessKeyId: parsed.keyId, StringToSign: stringToSign, SignatureProvided: parsed.signature,
      StringToSignBytes: hexBytes(stringToSign), CanonicalRequest: canonicalRequest,
      CanonicalRequestBytes: hexBytes(canonicalRequest),
    } };
  }
  const expires = /^\d+$/.test(String(parsed.query.find(([k]) => k === "X-Amz-Expires")?.[1] ?? ""))
    ? Number(parsed.query.find(([k]) => k === "X-Amz-Expires")![1]) : undefined;
  if (expires !== undefined) {
    const signedAt = amzTime(parsed.amzDate);
    const until = new Date(signedAt.getTime() + expires * 1000);
    if (now > until) {
      return { code: "AccessDenied", message: "Request has expired", detail: {
        Expires: until.toISOString(), ServerTime: now.toISOString(), "X-Amz-Expires": String(expires) } };
    }
  }
  return undefined;
}
