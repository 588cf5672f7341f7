/**
 * Hostile manifests and settings files, made in memory: the tests of __tests__/hostile and the timing script
 * (scripts/bench-hostile.mjs) read the same ones.
 */

/** A valid head, so that only the hostile part is wrong. */
export const HEAD = ["version: 1", "project: Project/App.4DProject", '4dVersion: "21"', "targets:", "  compiled: {}", ""].join("\n");

/** Nine levels of nine aliases each: 9^9 values from about 1 KB of text. */
export function billionLaughs(levels = 9): string {
  const lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
  for (let i = 1; i < levels; i++) lines.push(`l${i}: &l${i} [${Array.from({ length: 9 }, () => `*l${i - 1}`).join(", ")}]`);
  return `${HEAD}passthrough:\n${lines.map((l) => `  ${l}`).join("\n")}\n`;
}

/** `count` aliases of one small value, as a block list (7 bytes each). */
export const plainAliases = (count: number): string => `${HEAD}passthrough:\n  one: &one x\n  many:\n${"    - *one\n".repeat(count)}`;

/** `count` aliases of one small value on one line (6 bytes each): within the limits for 15 000. */
export const flowAliases = (count: number): string => `${HEAD}passthrough:\n  one: &one x\n  many: [${"*one, ".repeat(count)}]\n`;

/** An anchor whose value holds an alias of itself. */
export const selfAnchor = (): string => `${HEAD}passthrough:\n  loop: &loop [1, *loop]\n`;

export const deepFlow = (levels: number): string => `${HEAD}passthrough:\n  deep: ${"[".repeat(levels)}${"]".repeat(levels)}\n`;
export const deepDashes = (levels: number): string => `${HEAD}passthrough:\n  deep:\n    ${"- ".repeat(levels)}x\n`;
export const deepIndent = (levels: number): string => `${HEAD}passthrough:\n${Array.from({ length: levels }, (_, i) => `${"  ".repeat(i + 1)}k${i}:`).join("\n")} x\n`;

/** `count` keys 4dbuild does not know, at the top of the manifest. */
export const unknownKeys = (count: number): string => `${HEAD}${Array.from({ length: count }, (_, i) => `u${i}: 1`).join("\n")}\n`;

/** A buildApp.4DSettings whose BuildApp holds `levels` nested elements. */
export const deepSettings = (levels: number): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Preferences4D>\n<BuildApp>\n${"<Deep>".repeat(levels)}x${"</Deep>".repeat(levels)}\n</BuildApp>\n</Preferences4D>\n`;

/** Every hostile parse, by name: the timing script runs each. */
export const HOSTILE_MANIFESTS: Record<string, () => string> = {
  "billion laughs (1 KB, 9^9)": () => billionLaughs(9),
  "alias bomb 9^7": () => billionLaughs(7),
  "100 000 plain aliases": () => plainAliases(100_000),
  "15 000 aliases on one line": () => flowAliases(15_000),
  "self-referencing anchor": selfAnchor,
  "10 000 flow brackets deep": () => deepFlow(10_000),
  "5 000 dashes deep": () => deepDashes(5_000),
  "200 levels of indentation": () => deepIndent(200),
  "20 000 unknown keys": () => unknownKeys(20_000),
};
export const HOSTILE_SETTINGS: Record<string, () => string> = {
  "settings nested 10 000 deep": () => deepSettings(10_000),
};
