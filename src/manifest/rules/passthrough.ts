import path from "node:path";
import { generateSettings } from "../../generator/generate.js";
import { keyDef } from "../../generator/keys.js";
import { resolveConfig, writes } from "../plan.js";
import { PLATFORMS } from "../targets.js";
import type { Rule, RuleContext } from "./context.js";

/** buildApp.4DSettings key → the manifest field that writes it, on either build host, for this manifest. */
function fieldsByKey({ manifest, baseDir }: RuleContext): Map<string, string> {
  const packageDir = path.dirname(path.dirname(path.resolve(baseDir, manifest.project)));
  const { passthrough: _ignored, ...withoutPassthrough } = manifest;
  const input = { ...resolveConfig(withoutPassthrough, baseDir, packageDir), baseDir, packageDir };
  const fields = new Map<string, string>();
  for (const host of PLATFORMS) {
    for (const [key, field] of generateSettings(input, { host }).from) if (writes(input, field) && !fields.has(key)) fields.set(key, field);
  }
  return fields;
}

/**
 * passthrough writes keys as given, after everything else: it overrides the key a field of the manifest writes,
 * and editing that field then changes nothing. Import never writes such an entry; written by hand next to the
 * field, it is a contradiction worth a warning.
 */
export const checkPassthrough: Rule = (context) => {
  const keys = Object.keys(context.manifest.passthrough ?? {});
  if (keys.length === 0 || typeof context.manifest.project !== "string") return;
  const fields = fieldsByKey(context);
  for (const key of keys) {
    const field = fields.get(keyDef(key)?.key ?? key);
    if (field)
      context.report("warning", "overridden-field", ["passthrough", key], `passthrough ${key} overrides ${field}: editing ${field} changes nothing while this entry is here`, `remove one of them; ${field} is the one validate and diff understand`, "key");
  }
};
