import { atLeast } from "../../four-d/version.js";
import { walkWithSchema } from "../schema-walk.js";
import { displayPath } from "../source.js";
import type { Rule } from "./context.js";

/** The default written out (an empty list is the default of a list field): nothing the version could ignore. */
const sameAsDefault = (value: unknown, fallback: unknown) => JSON.stringify(value) === JSON.stringify(fallback) || (Array.isArray(value) && value.length === 0);

/** Settings that the chosen 4D version does not know yet are ignored by it: say so (unless set to the default). */
export const checkSinceVersions: Rule = ({ manifest, fourD, report }) => {
  if (!fourD) return;
  for (const { path, value, schema } of walkWithSchema(manifest)) {
    const since = schema["x-since"];
    if (!since || value === undefined || sameAsDefault(value, schema.default) || atLeast(fourD, since)) continue;
    if (path.length === 0) continue;
    report("warning", "newer-than-4d", path, `${displayPath(path)} needs 4D ${since} or later; 4D ${fourD.text} ignores it`, `raise 4dVersion to "${since}" or remove this setting`);
  }
};
