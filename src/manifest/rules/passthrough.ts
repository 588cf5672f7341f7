import { eachSchemaNode, fourDKeysOf } from "../schema-walk.js";
import { displayPath } from "../source.js";
import type { Rule } from "./context.js";

let modelled: Map<string, string> | undefined;

/** buildApp.4DSettings key (lower case) → the manifest field that drives it. */
function modelledKeys(): Map<string, string> {
  if (modelled) return modelled;
  modelled = new Map();
  for (const { path, schema } of eachSchemaNode()) for (const key of fourDKeysOf(path, schema)) if (!modelled.has(key.toLowerCase())) modelled.set(key.toLowerCase(), displayPath(path));
  return modelled;
}

/** A passthrough key that 4dbuild models must be set through its field, so that rules and diff see it. */
export const checkPassthrough: Rule = ({ manifest, report }) => {
  for (const key of Object.keys(manifest.passthrough ?? {})) {
    const field = modelledKeys().get(key.toLowerCase());
    if (field) report("error", "modelled-key", ["passthrough", key], `${key} is a key 4dbuild models: set ${field} instead`, undefined, "key");
  }
};
