/** Addresses 4dbuild downloads from (messages mask their secrets with src/messages/urls.ts). */

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** Why 4dbuild will not download from `address`, or undefined: https only, plain http for this machine alone (tests, a local mirror). */
export function unsafeUrl(address: string): string | undefined {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return "it is not a valid address";
  }
  if (url.protocol === "https:") return undefined;
  if (url.protocol === "http:" && LOOPBACK.has(url.hostname)) return undefined;
  return url.protocol === "http:" ? "plain http is only allowed for 127.0.0.1 and localhost: use https" : `${url.protocol.replace(/:$/, "")} addresses are not supported: use https`;
}

/** The address without its query string and fragment: a stable key for caches. */
export function urlKey(address: string): string {
  try {
    const url = new URL(address);
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return address.replace(/[?#].*$/, "");
  }
}
