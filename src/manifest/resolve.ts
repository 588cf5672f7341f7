import { isAlias, isMap, isScalar, isSeq, Scalar, type Node } from "yaml";
import type { Diagnostic } from "../messages/diagnostics.js";
import type { Redactor } from "../messages/redactor.js";
import { closest, quoteList } from "../messages/text.js";
import { GIT_VARIABLES, type GitVariable } from "./git.js";
import { LIMITS } from "./limits.js";
import { EXTERNAL_TAG, locate, toPointer, tooDeep, type ManifestSource, type PathSegment } from "./source.js";

/** Where a scalar's value came from, for the rules that treat machine paths and secrets differently. */
export interface Origin {
  /** Its text came, at least in part, from ${env.…} or ${secret.…}: a per-machine value. */
  fromEnvironment: boolean;
  secret: boolean;
  /** Tagged !external: a literal machine path. */
  external: boolean;
}

export interface ResolveContext {
  env: NodeJS.ProcessEnv;
  git: (name: GitVariable) => string | undefined;
  redactor: Redactor;
  /**
   * Review (diff) of a configuration on a machine that is not the build machine: an unset ${env.…} or
   * ${secret.…} without default, and every ${git.…}, stays as its reference text instead of being an error.
   */
  keepUnresolved?: boolean;
}

export interface Resolved {
  value: unknown;
  origins: Map<string, Origin>;
  diagnostics: Diagnostic[];
  /** Pointers of the values whose references could not be resolved. */
  failed: Set<string>;
  /** Pointers of the values that hold a reference kept as text (keepUnresolved). */
  kept: Set<string>;
  /** A limit was reached (an alias inside itself, too many values, too deep): the value is incomplete. */
  limited: boolean;
}

const REFERENCE = /\$(\$?)\{([^}]*)\}/g;

/** A text whose `${…}` are literal: each reference (and each `$${…}`) gets one more `$`, which resolution removes. */
export const escapeReferences = (text: string): string => text.replace(REFERENCE, (match) => `$${match}`);
const INNER = /^(env|secret|git)\.([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s;

/**
 * Builds the manifest's value from its YAML nodes, replacing ${env.NAME}, ${secret.NAME} and ${git.NAME}
 * references (with an optional default: ${env.NAME:-default}; $${ writes a literal ${). A plain scalar that
 * is a single reference takes the YAML type of its value (so `port: ${env.PORT}` gives a number).
 */
export function resolveManifest(source: ManifestSource, context: ResolveContext): Resolved {
  const origins = new Map<string, Origin>();
  const diagnostics: Diagnostic[] = [];
  const failedPointers = new Set<string>();
  const kept = new Set<string>();

  const at = (path: readonly PathSegment[], start: number, end: number, d: Omit<Diagnostic, "file" | "line" | "column">): void => {
    failedPointers.add(toPointer(path));
    diagnostics.push({ ...d, ...locate(source, [start, end]), pointer: toPointer(path) });
  };

  function lookup(namespace: string, name: string, fallback: string | undefined, report: (d: Omit<Diagnostic, "file" | "line" | "column">) => void): string | undefined {
    if (namespace === "git") {
      if (!GIT_VARIABLES.includes(name as GitVariable)) {
        const guess = closest(name, GIT_VARIABLES);
        report({ severity: "error", code: "unknown-variable", message: `unknown git variable "${name}"`, hint: guess ? `did you mean \${git.${guess}}?` : `git variables: ${quoteList(GIT_VARIABLES)}` });
        return undefined;
      }
      const value = context.git(name as GitVariable);
      if (value) return value;
      if (fallback !== undefined) return fallback;
      const why = name === "tag" || name === "version" ? "no git tag points at the current commit" : "this is not a git checkout";
      report({ severity: "error", code: "unresolved-variable", message: `\${git.${name}} cannot be resolved: ${why}`, hint: `give a default: \${git.${name}:-0.0.0}` });
      return undefined;
    }
    const value = context.env[name];
    if (value !== undefined && value !== "") {
      if (namespace === "secret") context.redactor.add(value);
      return value;
    }
    if (fallback !== undefined) return fallback;
    if (context.keepUnresolved) return undefined;
    const what = namespace === "secret" ? `secret ${name}` : `environment variable ${name}`;
    report({
      severity: "error",
      code: "unresolved-variable",
      message: `${what} is ${value === "" ? "empty" : "not set"}`,
      hint:
        namespace === "secret"
          ? `pass it to 4dbuild as an environment variable (in a workflow: env: { ${name}: \${{ secrets.${name} }} })`
          : `set ${name}, or give a default: \${env.${name}:-value}`,
    });
    return undefined;
  }

  const usedDefault = (name: string) => context.env[name] === undefined || context.env[name] === "";

  function resolveScalar(node: Scalar, path: readonly PathSegment[]): unknown {
    const pointer = toPointer(path);
    const external = node.tag === EXTERNAL_TAG;
    if (typeof node.value !== "string") {
      if (external) origins.set(pointer, { fromEnvironment: false, secret: false, external });
      return node.value;
    }
    const text = node.value;
    const raw = node.range ? source.text.slice(node.range[0], node.range[1]) : "";
    const base = node.range?.[0] ?? 0;
    let fromEnvironment = false;
    let secret = false;
    let whole: string | undefined;
    let failed = false;
    let keep = false;
    const result = text.replace(REFERENCE, (match, escaped: string, inner: string, index: number) => {
      if (escaped) return match.slice(1);
      const found = raw.indexOf(match);
      const start = found >= 0 ? base + found : base;
      const report = (d: Omit<Diagnostic, "file" | "line" | "column">) => {
        failed = true;
        at(path, start, start + match.length, d);
      };
      const parsed = INNER.exec(inner);
      if (!parsed) {
        const namespace = inner.split(".")[0] ?? "";
        const known = ["env", "secret", "git"];
        report({
          severity: "error",
          code: "bad-variable",
          message: `"${match}" is not a valid reference`,
          hint: known.includes(namespace) ? `write \${${namespace}.NAME} with NAME made of letters, digits and _` : `references are \${env.NAME}, \${secret.NAME} or \${git.tag|version|commit|shortCommit}; write $\${ for a literal \${`,
        });
        return match;
      }
      const [, namespace, name, fallback] = parsed as unknown as [string, string, string, string | undefined];
      // Git facts describe the checkout, not the revision under review: kept as written.
      const value = context.keepUnresolved && namespace === "git" && GIT_VARIABLES.includes(name as GitVariable) ? undefined : lookup(namespace, name, fallback, report);
      if (value === undefined && context.keepUnresolved && !failed) {
        keep = true;
        if (namespace === "secret") secret = true;
        if (namespace !== "git") fromEnvironment = true;
        return match;
      }
      // A default written in the manifest (${env.UNSET:-../x}) is not a machine path: it is checked as written.
      if (namespace !== "git" && !usedDefault(name)) fromEnvironment = true;
      if (namespace === "secret") secret = true;
      if (match.length === text.length && index === 0) whole = value;
      return value ?? "";
    });
    if (fromEnvironment || secret || external) origins.set(pointer, { fromEnvironment, secret, external });
    if (keep && !failed) {
      kept.add(pointer);
      failedPointers.add(pointer);
      return result;
    }
    if (failed) return result;
    if (whole !== undefined && node.type === Scalar.PLAIN) {
      if (/^-?(0|[1-9][0-9]*)$/.test(whole)) return Number(whole);
      if (whole === "true" || whole === "false") return whole === "true";
    }
    return result;
  }

  // Aliases are expanded here, within LIMITS: each value copied through an alias counts (the others are bounded
  // by the size of the text), an alias met inside the value it names stops (it would expand forever), and so
  // does a depth beyond the limit.
  let copied = 0;
  let aliasDepth = 0;
  let limited = false;
  const open = new Set<Node>();
  const stop = (node: Node, d: Omit<Diagnostic, "file" | "line" | "column" | "severity">): null => {
    if (!limited) diagnostics.push({ severity: "error", ...d, ...locate(source, [node.range?.[0] ?? 0, node.range?.[1] ?? 0]) });
    limited = true;
    return null;
  };

  function build(node: Node | null | undefined, path: readonly PathSegment[]): unknown {
    if (node == null || limited) return null;
    if (aliasDepth > 0 && ++copied > LIMITS.expandedValues) return stop(node, { code: "too-many-values", message: `aliases copy more than ${LIMITS.expandedValues} values`, hint: "each alias (*name) copies the whole value it names: a manifest needs a few hundred values" });
    if (path.length > LIMITS.depth) return stop(node, tooDeep());
    if (isAlias(node)) {
      const target = source.aliases.get(node);
      if (target && open.has(target)) return stop(node, { code: "recursive-alias", message: `the alias *${node.source} is inside the value it names`, hint: `a value cannot contain itself: copy what *${node.source} needs instead` });
      aliasDepth += 1;
      try {
        return build(target, path);
      } finally {
        aliasDepth -= 1;
      }
    }
    if (isScalar(node)) return resolveScalar(node, path);
    open.add(node);
    try {
      return buildCollection(node, path);
    } finally {
      open.delete(node);
    }
  }

  function buildCollection(node: Node, path: readonly PathSegment[]): unknown {
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        if (key === "__proto__") {
          const range = (pair.key as Node | null)?.range;
          diagnostics.push({ severity: "error", code: "unknown-key", message: 'unknown key "__proto__"', ...locate(source, [range?.[0] ?? 0, range?.[1] ?? 0]), pointer: toPointer([...path, key]) });
          continue;
        }
        out[key] = build(pair.value as Node | null, [...path, key]);
      }
      return out;
    }
    if (isSeq(node)) return node.items.map((item, i) => build(item as Node, [...path, i]));
    return null;
  }

  const value = build(source.doc.contents as Node | null, []);
  return { value, origins, diagnostics, failed: failedPointers, kept, limited };
}
