import { sameValue } from "../generator/import.js";
import { ABSENT_DEFAULTS, keyDef } from "../generator/keys.js";
import { emptySettings, type SettingsDocument } from "../generator/settings-xml.js";

/**
 * A settings file as 4D reads it, for comparison: empty elements (an empty path is "not set", §3.7), empty
 * containers and values equal to what 4D applies when the key is absent are left out; booleans are written
 * True/False. Two files that 4D reads the same way give the same text.
 */
export function meaningfulSettings(settings: SettingsDocument): SettingsDocument {
  const out = emptySettings();
  for (const [key, value] of settings.values) {
    if (typeof value === "string" ? value.trim() === "" : value.length === 0) continue;
    const def = keyDef(key);
    const absent = ABSENT_DEFAULTS.get(def?.key ?? key);
    if (absent !== undefined && sameValue(def, value, absent)) continue;
    out.values.set(key, def?.type === "bool" && typeof value === "string" && /^(true|false)$/i.test(value.trim()) ? (value.trim().toLowerCase() === "true" ? "True" : "False") : value);
  }
  return out;
}
