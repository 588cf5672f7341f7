import { atLeast } from "../../four-d-version.js";
import { KNOWN_MODULES } from "../../known-modules.js";
import { closest, quoteList } from "../../text.js";
import type { Rule } from "./context.js";

/** Excluded module names must be modules the chosen 4D version has. */
export const checkModules: Rule = ({ manifest, fourD, report }) => {
  (manifest.modules?.exclude ?? []).forEach((name, i) => {
    const at = ["modules", "exclude", i];
    const known = KNOWN_MODULES.find((m) => m.name === name);
    if (!known) {
      const names = KNOWN_MODULES.map((m) => m.name);
      const sameLetters = names.find((n) => n.toLowerCase() === String(name).toLowerCase());
      const guess = sameLetters ?? closest(String(name), names);
      report("error", "unknown-module", at, `"${name}" is not a 4D module`, `${guess ? `did you mean "${guess}"? ` : ""}modules: ${quoteList(names)}`);
      return;
    }
    if (!fourD) return;
    if (known.removedIn && atLeast(fourD, known.removedIn))
      report("error", "module-not-in-version", at, `${name} was removed in 4D ${known.removedIn}: 4D ${fourD.text} has no ${name} module to exclude`, "remove it from the list");
    else if (known.since && !atLeast(fourD, known.since))
      report("error", "module-not-in-version", at, `${name} exists from 4D ${known.since} on; 4D ${fourD.text} has no such module`, "remove it from the list, or raise 4dVersion");
    else if (!known.verified)
      report("warning", "unverified-module", at, `${name} is not in 4D's documented module list; 4D may not recognise it`, "check Resources/BuildappOptionalModules.json of your 4D");
  });
};
