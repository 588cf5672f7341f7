import type { FourDVersion } from "./version.js";

/**
 * The release a GitHub dependency resolves to, by the rules of 4D's dependency manager
 * (4d/docs@c55f5a1d0f5418bd2192ee05007f70aafdf922ca:versioned_docs/version-21-R2/Project/components.md,
 * "Tags and versions", "Naming conventions for 4D version tags"): a `tag` names one release; a `version` is
 * "latest", "4d" (follow the 4D version, as 4D writes it in dependencies.json) or a range ("1.*", ">=1.2.3",
 * "^1.2.3", "~1.2.3", "1.0.0 - 1.2.3", "<1.2.3 || >=2", "20R8.*").
 *
 * 4D's tags mix semantic versions and 4D versions ("20.4", "20R9.1"), which semantic-versioning libraries do
 * not read, hence this small reader. A tag becomes a key ordered as 4D orders versions (version.ts):
 * [major, R number, minor, patch]: "1.2.3" → [1, 0, 2, 3], "20R9.1" → [20, 9, 0, 1]. A leading "v" is ignored.
 */
export type VersionKey = readonly [number, number, number, number];

const TAG = /^v?(\d+)(?:R(\d+))?(?:\.(\d+|[*x]))?(?:\.(\d+|[*x]))?$/i;

interface Partial {
  low: VersionKey;
  /** The first key above every version the partial stands for ("1.2" → 1.3.0). */
  high: VersionKey;
  exact: boolean;
}

function partial(text: string): Partial | undefined {
  if (text === "*" || text.toLowerCase() === "x") return { low: [0, 0, 0, 0], high: [Infinity, 0, 0, 0], exact: false };
  const match = TAG.exec(text);
  if (!match) return undefined;
  const major = Number(match[1]);
  const wild = (part: string | undefined) => part === undefined || !/^\d+$/.test(part);
  if (match[2] !== undefined) {
    const release = Number(match[2]);
    if (wild(match[3])) return { low: [major, release, 0, 0], high: [major, release + 1, 0, 0], exact: false };
    const patch = Number(match[3]);
    return { low: [major, release, 0, patch], high: [major, release, 0, patch + 1], exact: true };
  }
  if (wild(match[3])) return { low: [major, 0, 0, 0], high: [major + 1, 0, 0, 0], exact: false };
  const minor = Number(match[3]);
  if (wild(match[4])) return { low: [major, 0, minor, 0], high: [major, 0, minor + 1, 0], exact: false };
  const patch = Number(match[4]);
  return { low: [major, 0, minor, patch], high: [major, 0, minor, patch + 1], exact: true };
}

export function compareKeys(a: VersionKey, b: VersionKey): number {
  for (let i = 0; i < 4; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return 0;
}

/** The key of a release tag, or undefined when the tag is not a version ("beta2"). */
export function tagKey(tag: string): VersionKey | undefined {
  const parsed = partial(tag);
  return parsed && !/[*x]/i.test(tag.replace(/^v/i, "")) ? parsed.low : undefined;
}

type Test = (key: VersionKey) => boolean;
const atLeast = (bound: VersionKey): Test => (k) => compareKeys(k, bound) >= 0;
const below = (bound: VersionKey): Test => (k) => compareKeys(k, bound) < 0;

function comparator(text: string): Test[] | undefined {
  const match = /^(>=|<=|>|<|=|\^|~)?\s*(.+)$/.exec(text);
  const found = match ? partial(match[2]!) : undefined;
  if (!match || !found) return undefined;
  const { low, high } = found;
  switch (match[1]) {
    case ">=":
      return [atLeast(low)];
    case ">":
      return [atLeast(high)];
    case "<":
      return [below(low)];
    case "<=":
      return [below(high)];
    case "^":
      return [atLeast(low), below([low[0] + 1, 0, 0, 0])];
    case "~":
      return [atLeast(low), below(low[1] > 0 ? [low[0], low[1] + 1, 0, 0] : [low[0], 0, low[2] + 1, 0])];
    default:
      return [atLeast(low), below(high)];
  }
}

/** A range as a test on keys, or undefined when it cannot be read. */
export function versionRange(range: string): Test | undefined {
  const alternatives: Test[][] = [];
  for (const alternative of range.split("||").map((a) => a.trim())) {
    const hyphen = /^(\S+)\s+[-\u2013]\s+(\S+)$/.exec(alternative);
    if (hyphen) {
      const [from, to] = [partial(hyphen[1]!), partial(hyphen[2]!)];
      if (!from || !to) return undefined;
      alternatives.push([atLeast(from.low), below(to.high)]);
      continue;
    }
    // ">= 1.2.3 <2" → [">=1.2.3", "<2"]: an operator standing alone belongs to the version after it.
    const parts = alternative.replace(/(>=|<=|>|<|=|\^|~)\s+/g, "$1").split(/\s+/).filter(Boolean);
    const tests = parts.map(comparator);
    if (tests.length === 0 || tests.some((t) => t === undefined)) return undefined;
    alternatives.push(tests.flat() as Test[]);
  }
  return (key) => alternatives.some((tests) => tests.every((test) => test(key)));
}

/** What a dependency asks for: one tag, the release GitHub marks latest, the 4D version's, or a range. */
export type VersionRule = { kind: "tag"; tag: string } | { kind: "latest" } | { kind: "follow4D" } | { kind: "range"; range: string };

export function versionRule(dependency: { tag?: string | undefined; version?: string | undefined }): VersionRule {
  if (dependency.tag) return { kind: "tag", tag: dependency.tag };
  const version = dependency.version?.trim();
  if (!version || version.toLowerCase() === "latest") return { kind: "latest" };
  if (version.toLowerCase() === "4d") return { kind: "follow4D" };
  return { kind: "range", range: version };
}

export const describeRule = (rule: VersionRule): string =>
  rule.kind === "tag" ? `tag ${rule.tag}` : rule.kind === "latest" ? "latest" : rule.kind === "follow4D" ? "following the 4D version" : `version ${rule.range}`;

/** The one tag a rule names without asking GitHub (a tag, or an exact version), if any. */
export function pinnedTag(rule: VersionRule): string | undefined {
  if (rule.kind === "tag") return rule.tag;
  if (rule.kind === "range" && partial(rule.range)?.exact) return rule.range;
  return undefined;
}

/**
 * The range "follow the 4D version" stands for: for an LTS x, the latest x.* release, or else one below x;
 * for xRy, the latest release below xR(y+1) (components.md, "Naming conventions for 4D version tags").
 */
function follow(fourD: FourDVersion): Test[] {
  if (fourD.release === 0) return [(k) => k[0] === fourD.major && k[1] === 0, below([fourD.major, 0, 0, 0])];
  return [below([fourD.major, fourD.release + 1, 0, 0])];
}

/**
 * The tag of the release a rule selects among `tags` (releases that are neither drafts nor pre-releases), or
 * undefined. "latest" is answered by GitHub itself and is not resolved here.
 */
export function selectTag(rule: VersionRule, tags: readonly string[], fourD: FourDVersion): string | undefined {
  if (rule.kind === "tag") return tags.find((t) => t === rule.tag);
  const versions = tags.flatMap((tag) => {
    const key = tagKey(tag);
    return key ? [{ tag, key }] : [];
  });
  const best = (test: Test) => versions.filter((v) => test(v.key)).sort((a, b) => compareKeys(b.key, a.key))[0]?.tag;
  if (rule.kind === "follow4D") {
    for (const test of follow(fourD)) {
      const found = best(test);
      if (found) return found;
    }
    return undefined;
  }
  if (rule.kind === "range") {
    const range = versionRange(rule.range);
    return range ? best(range) : undefined;
  }
  return undefined;
}
