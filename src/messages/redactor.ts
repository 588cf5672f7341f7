import path from "node:path";
import { inspect } from "node:util";
import { MASK, Secret } from "./secret.js";

/** A secret as other code may have turned it before it reached a text: each of these is masked too. */
function variants(secret: string): string[] {
  const forms = new Set([secret]);
  // Path normalisation: ./a//b → a/b, and the Windows and HFS separators of generated settings.
  const normalised = path.posix.normalize(secret).replace(/\/$/, "");
  for (const form of [secret, normalised]) {
    forms.add(form);
    forms.add(form.replaceAll("/", "\\"));
    forms.add(form.replaceAll("/", ":"));
  }
  const escaped = new Set<string>();
  for (const form of forms) {
    escaped.add(form);
    escaped.add(JSON.stringify(form).slice(1, -1));
    escaped.add(form.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;"));
    // GitHub workflow commands: message data, then properties (file=, title=).
    const data = form.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
    escaped.add(data);
    escaped.add(data.replace(/:/g, "%3A").replace(/,/g, "%2C"));
  }
  return [...escaped].filter((form) => form.length > 0);
}

/** Shortest start of a secret that, cut and followed by "…", is still taken for it. */
const SHORTEST_CUT = 4;
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The secrets read while resolving a manifest or running a build, and the masking of every text 4dbuild writes
 * (messages, reports, logs, files other than the ones a secret must go into). A secret is masked as written and as
 * escaped (JSON, XML, workflow commands), path-normalised, or cut short ("first characters…"): callers mask before
 * they transform, and writers mask the final bytes again.
 */
export class Redactor {
  readonly #secrets = new Map<string, Secret>();
  #pattern: RegExp | undefined;
  #forms: string[] = [];

  /** Registers a secret (a Secret, or a value read as one) and returns it wrapped. */
  add(value: string | Secret): Secret {
    const secret = typeof value === "string" ? new Secret(value) : value;
    const text = secret.reveal();
    if (text.length > 0 && !this.#secrets.has(text)) {
      this.#secrets.set(text, secret);
      this.#pattern = undefined;
    }
    return secret;
  }

  get size(): number {
    return this.#secrets.size;
  }

  redact(text: string): string {
    if (this.#secrets.size === 0 || text.length === 0) return text;
    if (!this.#pattern) {
      // Longest first, so that a secret containing another one is masked whole.
      this.#forms = [...new Set([...this.#secrets.keys()].flatMap(variants))].sort((a, b) => b.length - a.length);
      this.#pattern = new RegExp(this.#forms.map(escapeRegExp).join("|"), "g");
    }
    const masked = text.replace(this.#pattern, MASK);
    return masked.includes("…") ? this.#cuts(masked) : masked;
  }

  /** "…" preceded by the start of a secret: a value cut for display ("the first 57 characters…"). */
  #cuts(text: string): string {
    let out = "";
    let from = 0;
    for (let at = text.indexOf("…"); at >= 0; at = text.indexOf("…", at + 1)) {
      const length = this.#cutBefore(text, at);
      if (length === 0) continue;
      out += `${text.slice(from, at - length)}${MASK}`;
      from = at;
    }
    return out + text.slice(from);
  }

  #cutBefore(text: string, at: number): number {
    for (const form of this.#forms) {
      const shortest = Math.min(SHORTEST_CUT, form.length - 1);
      for (let length = Math.min(form.length - 1, at); length >= shortest && length > 0; length--) {
        if (text.charCodeAt(at - length) === form.charCodeAt(0) && text.startsWith(form.slice(0, length), at - length)) return length;
      }
    }
    return 0;
  }

  toJSON(): string {
    return `Redactor(${this.#secrets.size} secrets)`;
  }

  [inspect.custom](): string {
    return this.toJSON();
  }
}
