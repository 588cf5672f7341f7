import { readFileSync } from "node:fs";
import path from "node:path";
import { atLeast } from "../../four-d/version.js";
import { KNOWN_MODULES } from "../../four-d/modules.js";
import { closest, quoteList } from "../../messages/text.js";
import type { Rule, RuleContext } from "./context.js";

/** Module names of a BuildappOptionalModules.json, or undefined (reported) when it cannot be read. */
function namesFromDefinitions({ manifest, baseDir, report }: RuleContext, file: string): string[] | undefined {
  try {
    const json = JSON.parse(readFileSync(path.resolve(baseDir, file), "utf8")) as { modules?: { name?: unknown }[] };
    const names = (json.modules ?? []).map((m) => m.name).filter((n): n is string => typeof n === "string");
    if (names.length > 0) return names;
    report("error", "bad-definitions", ["modules", "definitions"], `${manifest.modules?.definitions} lists no module`, 'expected { "modules": [ { "name": "CEF", "foldersArray": […] } ] }');
  } catch (error) {
    if (error instanceof SyntaxError) report("error", "bad-definitions", ["modules", "definitions"], `${file} is not valid JSON: ${error.message}`);
    // a missing file is reported by the path rule
  }
  return undefined;
}

/** Excluded module names must be modules of the chosen 4D: its own definitions file, else the documented table. */
export const checkModules: Rule = (context) => {
  const { manifest, fourD, report } = context;
  const excluded = manifest.modules?.exclude ?? [];
  if (excluded.length === 0) return;
  const definitions = manifest.modules?.definitions;
  if (definitions) {
    const names = namesFromDefinitions(context, definitions);
    if (!names) return;
    excluded.forEach((name, i) => {
      if (!names.some((n) => n.toLowerCase() === name.toLowerCase())) {
        const guess = closest(name, names);
        report("error", "unknown-module", ["modules", "exclude", i], `"${name}" is not a module of ${path.basename(definitions)}`, `${guess ? `did you mean "${guess}"? ` : ""}modules: ${quoteList(names)}`);
      }
    });
    return;
  }
  excluded.forEach((name, i) => {
    const at = ["modules", "exclude", i];
    const known = KNOWN_MODULES.find((m) => m.name === name);
    if (!known) {
      const names = KNOWN_MODULES.map((m) => m.name);
      const guess = names.find((n) => n.toLowerCase() === name.toLowerCase()) ?? closest(name, names);
      report("error", "unknown-module", at, `"${name}" is not a 4D module`, `${guess ? `did you mean "${guess}"? ` : ""}modules: ${quoteList(names)}; for another list, point modules.definitions at your 4D's BuildappOptionalModules.json`);
      return;
    }
    if (!fourD) return;
    if (known.removedIn && atLeast(fourD, known.removedIn))
      report("error", "module-not-in-version", at, known.renamedTo ? `4D ${known.removedIn} renamed ${name} "${known.renamedTo}"` : `${name} was removed in 4D ${known.removedIn}: 4D ${fourD.text} has no ${name} module to exclude`, known.renamedTo ? `write "${known.renamedTo}"` : "remove it from the list");
    else if (known.since && !atLeast(fourD, known.since))
      report("error", "module-not-in-version", at, `${name} exists from 4D ${known.since} on; 4D ${fourD.text} has no such module`, "remove it from the list, or raise 4dVersion");
    else if (!known.verified)
      report("warning", "unverified-module", at, `${name} is not in 4D's documented module list; 4D may not recognise it`, "point modules.definitions at your 4D's BuildappOptionalModules.json to check against it");
  });
};
