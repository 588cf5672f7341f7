/**
 * Bounds on what a manifest (and an imported settings file) may be, so that a hostile or broken file is a
 * located error in well under a second instead of a hang or a stack overflow. Each is far above what a real
 * manifest needs (a few kilobytes, six levels deep, a handful of aliases). docs/manifest.md lists them.
 */
export const LIMITS = {
  /** Bytes of a manifest: the yaml parser takes about a second per 300 KB on a small CI machine. */
  manifestBytes: 256 * 1024,
  /** Levels of nesting (mappings, lists, flow brackets) in a manifest or a settings file. */
  depth: 64,
  /** Values copied by aliases (`*name`) in a manifest: a "billion laughs" stops here. */
  expandedValues: 20_000,
  /** Unknown keys reported one by one in one mapping; the others are counted in one message. */
  unknownKeysShown: 50,
} as const;

/**
 * Where the nesting of a YAML text first goes deeper than `limit`, without parsing it (the parser recurses and
 * would overflow the stack first). Counts block levels by indentation (each `- ` of a line opens one) and flow
 * brackets; the contents of block scalars (`|`, `>`), quoted text and comments are skipped. An estimate, for
 * locating: the parsed document's own depth is checked as it is read (resolve.ts).
 */
export function yamlTooDeep(text: string, limit: number): number | undefined {
  const indents: number[] = [];
  let flow = 0;
  let blockScalar: number | undefined;
  let quote: "'" | '"' | undefined;
  let offset = 0;
  for (const line of text.split("\n")) {
    const start = offset;
    offset += line.length + 1;
    const indent = /^ */.exec(line)![0].length;
    const blank = line.trim() === "" || line.trimStart().startsWith("#");
    if (blockScalar !== undefined) {
      if (blank || indent > blockScalar) continue;
      blockScalar = undefined;
    }
    let i = indent;
    if (flow === 0 && quote === undefined && !blank) {
      while (indents.length > 0 && indents.at(-1)! >= indent) indents.pop();
      indents.push(indent);
      // "- - x": each dash opens a level at its own column.
      while (line[i] === "-" && (line[i + 1] === " " || i + 1 === line.length)) {
        i += 1;
        while (line[i] === " ") i += 1;
        indents.push(i);
      }
      if (indents.length > limit) return start + i;
    }
    for (; i < line.length; i++) {
      const c = line[i]!;
      if (quote) {
        if (c === "\\" && quote === '"') i += 1;
        else if (c === quote) quote = line[i + 1] === "'" && quote === "'" ? (i++, quote) : undefined;
        continue;
      }
      if (c === "#" && (i === 0 || line[i - 1] === " " || line[i - 1] === "\t")) break;
      if ((c === "'" || c === '"') && (i === 0 || /[\s[{,:-]/.test(line[i - 1]!))) quote = c;
      else if (c === "[" || c === "{") {
        flow += 1;
        if (indents.length + flow > limit) return start + i;
      } else if ((c === "]" || c === "}") && flow > 0) flow -= 1;
    }
    if (flow === 0 && quote === undefined && /(^|[\s:-])[|>][-+0-9]*\s*(#.*)?$/.test(line.slice(indent).replace(/\r$/, ""))) blockScalar = indent;
  }
  return undefined;
}

/** Where the element nesting of an XML text first goes deeper than `limit` (comments, CDATA and declarations skipped). */
export function xmlTooDeep(text: string, limit: number): number | undefined {
  let depth = 0;
  const tag = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<[?!][^>]*>|<\/[^>]*>|<[^>]*?\/>|<[^>]*>/g;
  for (let match = tag.exec(text); match; match = tag.exec(text)) {
    const found = match[0];
    if (found.startsWith("<!") || found.startsWith("<?") || found.endsWith("/>")) continue;
    if (found.startsWith("</")) depth = Math.max(0, depth - 1);
    else if (++depth > limit) return match.index;
  }
  return undefined;
}
