import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { BuildError } from "../messages/errors.js";
import { redactUrl, redactUrlsIn } from "../messages/urls.js";

/** A download that failed. `retryable`: a partial or damaged transfer, or a server error, worth one more try. */
export class DownloadError extends BuildError {
  constructor(message: string, hint: string | undefined, readonly retryable: boolean) {
    super(message, hint);
  }
}

export interface Downloaded {
  bytes: number;
  /** SHA-256 of the bytes received, lower-case hex. */
  sha256: string;
}

export interface RequestOptions {
  /** What is downloaded, for messages: "tool4d 21.0 (build latest)", "targets.standalone.runtime.mac". */
  what: string;
  signal?: AbortSignal;
  /** "manual" returns a redirect as it is (to read its Location). */
  redirect?: "follow" | "manual";
  /** Further request headers (an Accept, a token's Authorization: never part of a message). */
  headers?: Record<string, string>;
}

const NETWORK_CAUSES: Record<string, string> = {
  ECONNREFUSED: "connection refused (offline, or nothing listens at that address)",
  ENOTFOUND: "host not found (DNS): offline, or a wrong address",
  EAI_AGAIN: "DNS lookup failed: offline?",
  ECONNRESET: "connection reset by the server",
  ETIMEDOUT: "connection timed out",
  UND_ERR_CONNECT_TIMEOUT: "connection timed out",
  UND_ERR_HEADERS_TIMEOUT: "the server did not answer in time",
  UND_ERR_BODY_TIMEOUT: "the server stopped sending",
  UND_ERR_SOCKET: "the connection was closed by the server",
  ENETUNREACH: "network unreachable: offline?",
  EHOSTUNREACH: "host unreachable",
};

/** Why a request failed, in words, with the system's code ("connection refused [ECONNREFUSED]"). */
export function networkCause(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause ?? error;
  const inner = (cause as { errors?: unknown[] }).errors?.[0] as { code?: string } | undefined;
  const code = (cause as { code?: string }).code ?? inner?.code;
  if (code && NETWORK_CAUSES[code]) return `${NETWORK_CAUSES[code]} [${code}]`;
  const message = redactUrlsIn(cause instanceof Error ? cause.message : String(cause));
  return code ? `${message} [${code}]` : message;
}

const failed = (what: string, url: string, cause: string, hint: string | undefined, retryable: boolean) => new DownloadError(`cannot download ${what} from ${redactUrl(url)}: ${cause}`, hint, retryable);

function statusHint(status: number): string | undefined {
  if (status === 404 || status === 410) return "nothing at that address: check the version and build (or the URL); 4D removes some old builds";
  if (status === 401 || status === 403) return "access denied: the address may need a token (or a fresh signed link)";
  if (status >= 500) return "the server failed: try again later";
  return undefined;
}

/** Sends a GET request. Network failures and HTTP errors become a DownloadError naming the address (query masked) and the cause. */
export async function request(url: string, options: RequestOptions): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { redirect: options.redirect ?? "follow", headers: { "accept-encoding": "identity", "user-agent": "4dbuild", ...options.headers }, ...(options.signal ? { signal: options.signal } : {}) });
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    throw failed(options.what, url, networkCause(error), "check the network connection and the address", false);
  }
  const redirect = options.redirect === "manual" && response.status >= 300 && response.status < 400;
  if (!response.ok && !redirect) {
    await response.body?.cancel().catch(() => undefined);
    throw failed(options.what, url, `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`, statusHint(response.status), response.status >= 500);
  }
  // tool4d-action treats an HTML page in place of the archive as "not found or needs a token" (4d/tool4d-action@22bddba:download.sh).
  if (!redirect && /text\/html/i.test(response.headers.get("content-type") ?? "")) {
    await response.body?.cancel().catch(() => undefined);
    throw failed(options.what, url, "the server answered with a web page, not an archive", "the version or build may not exist, or the download may need a token", false);
  }
  return response;
}

/**
 * Streams a response body to `file` (never held in memory), hashing it on the way. A transfer that stops or
 * that brings fewer or more bytes than Content-Length announced is a retryable DownloadError.
 */
export async function saveBody(response: Response, file: string, url: string, options: RequestOptions & { onProgress?: (bytes: number) => void }): Promise<Downloaded> {
  const hash = createHash("sha256");
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      options.onProgress?.(bytes);
      done(null, chunk);
    },
  });
  if (!response.body) throw failed(options.what, url, "the server sent no content", undefined, true);
  try {
    await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), counter, createWriteStream(file), { signal: options.signal });
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    throw failed(options.what, url, `the transfer stopped after ${bytes} bytes: ${networkCause(error)}`, undefined, true);
  }
  const announced = response.headers.get("content-length");
  const encoded = (response.headers.get("content-encoding") ?? "identity") !== "identity";
  if (announced !== null && !encoded && Number(announced) !== bytes) throw failed(options.what, url, `received ${bytes} bytes, but the server announced ${announced} (Content-Length)`, undefined, true);
  return { bytes, sha256: hash.digest("hex") };
}
