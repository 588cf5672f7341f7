/**
 * Addresses in messages. A query string may carry a token (signed storage links, tool4d's ?token=) and user
 * information a password: both are secrets, masked in every message 4dbuild writes.
 */

/** The address with its query string and user information masked ("?***", "***@"). */
export function redactUrl(address: string): string {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    const query = address.indexOf("?");
    return query < 0 ? address : `${address.slice(0, query)}?***`;
  }
  const user = url.username || url.password ? "***@" : "";
  return `${url.protocol}//${user}${url.host}${url.pathname}${url.search ? "?***" : ""}${url.hash}`;
}

/** Every address in a text (a message of Node or of a server) with its query string masked. */
export const redactUrlsIn = (text: string): string => text.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi, (found) => redactUrl(found));
