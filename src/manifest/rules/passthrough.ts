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

/**
 * passthrough writes keys as given, after everything else: it can override a key a field drives. That is
 * what import does for values the fields cannot express; written by hand next to the field, it is a
 * contradiction worth a warning.
 */
export const checkPassthrough: Rule = ({ manifest, report }) => {
  for (const key of Object.keys(manifest.passthrough ?? {})) {
    const field = modelledKeys().get(key.toLowerCase());
    if (field && isSet(manifest, field)) report("warning", "overridden-field", ["passthrough", key], `passthrough ${key} overrides ${field}`, `remove one of them; ${field} is the one validate and diff understand`, "key");
  }
};

function isSet(manifest: unknown, field: string): boolean {
  let value: unknown = manifest;
  for (const segment of field.split(".")) value = value && typeof value === "object" ? (value as Record<string, unknown>)[segment] : undefined;
  return value !== undefined;
}
