/** Edit distance between two strings (Levenshtein), for "did you mean …?" hints. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The candidate closest to `word` (case-insensitive), if it is close enough to be a likely typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  const tolerance = Math.max(2, Math.floor(lower.length / 3));
  return bestDistance <= tolerance ? best : undefined;
}

export const quoteList = (items: readonly string[]): string => items.map((item) => `"${item}"`).join(", ");

/**
 * A text for a terminal: control characters (but tab and line feed) and bidi controls shown as \u{…}, so that a
 * value read from a manifest or a disk cannot move the cursor, recolour, rewrite a line or reorder it.
 */
export const printable = (text: string): string =>
  // eslint-disable-next-line no-control-regex -- finding them is the point
  text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
