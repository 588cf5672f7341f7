import type { Manifest } from "../manifest/manifest.generated.js";
import { resolveConfig } from "../manifest/plan.js";
import type { Platform } from "../manifest/targets.js";
import type { Diagnostic } from "../messages/diagnostics.js";
import { generateSettings } from "./generate.js";
import { forgetImportedField, type ImportDraft, type ImportedVariable } from "./import-close.js";
import { keyDef, type KeyDef } from "./keys.js";
import { fromFourDPath, type FourDPathContext } from "./paths.js";
import type { SettingsDocument, SettingValue } from "./settings-xml.js";

/** Semantic equality of two values of a key: boolean case, path separators at either end and integer spelling aside. */
export function sameValue(def: KeyDef | undefined, a: SettingValue | undefined, b: SettingValue | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => sameValue(def && { ...def, type: def.type === "path-list" ? "path" : def.type === "int-list" ? "int" : "text" }, item, b[i]));
  }
  const [x, y] = [a as string, b as string];
  switch (def?.type) {
    case "bool":
      return x.trim().toLowerCase() === y.trim().toLowerCase();
    case "int":
      return Number(x) === Number(y) && x.trim() !== "";
    case "path": {
      // ".\\Build\\" and "\\Build\\" are both the folder Build in the package (4D reads either).
      const place = (p: string) => p.replace(/^\.\\/, "\\").replace(/[:\\]$/, "");
      return place(x) === place(y);
    }
    default:
      return x === y;
  }
}

interface KeepOptions {
  manifestDir: string;
  packageDir: string;
  macVolume?: string;
  /** Display name of the settings file, for messages. */
  file: string;
  host: Platform;
  context: FourDPathContext;
}

const LICENCE_KEYS: Readonly<Record<string, string>> = { "Licenses/ArrayLicenseMac": "LICENSES_FILES_MAC", "Licenses/ArrayLicenseWin": "LICENSES_FILES_WIN" };

/**
 * Sets the draft's passthrough to what generate would not write back identically, exactly as the file wrote it;
 * returns what generate writes. A key a field of the draft writes is never kept there: when the field says the
 * same in other words (another form of the same path), nothing is kept; when it does not, the field goes, so that
 * passthrough never overrides a field. Licence files kept there are read from variables (their names are secret).
 */
export function keepAsWritten(settings: SettingsDocument, draft: ImportDraft<ImportedVariable>, options: KeepOptions, report: Diagnostic[]): SettingsDocument {
  const { manifest, references, variables } = draft;
  for (let round = 0; ; round++) {
    delete manifest.passthrough;
    const input = { ...resolveConfig(manifest as unknown as Manifest, options.manifestDir, options.packageDir), baseDir: options.manifestDir, packageDir: options.packageDir };
    const { settings: generated, from } = generateSettings(input, { host: options.host, ...(options.macVolume ? { macVolume: options.macVolume } : {}) });
    const passthrough: Record<string, SettingValue> = {};
    const overridden = new Map<string, string>();
    for (const [key, original] of settings.values) {
      const def = keyDef(key);
      if (def && sameValue(def, original, generated.values.get(key))) continue;
      const field = from.get(key);
      const imported = field === undefined ? [] : [...draft.fields.keys()].filter((f) => f === field || f.startsWith(`${field}.`));
      if (def && imported.length > 0 && samePath(def, original, generated.values.get(key), options)) continue;
      for (const f of imported) if (!overridden.has(f)) overridden.set(f, key);
      passthrough[key] = original;
    }
    if (overridden.size > 0 && round < draft.fields.size) {
      for (const [field, key] of overridden) {
        const keys = draft.fields.get(field)!.join(", ");
        const [written, wanted] = [generated.values.get(key), settings.values.get(key)].map((v) => (v === undefined ? "nothing" : JSON.stringify(v)));
        report.push({ severity: "warning", code: "import-kept", file: options.file, message: `${keys} is kept in passthrough as the file wrote it, not as ${field}: with it 4dbuild would write ${key} as ${written}, the file has ${wanted}`, hint: "4dbuild writes it back unchanged" });
        forgetImportedField(draft, field);
      }
      continue;
    }
    for (const field of [...references.keys()].filter((f) => f.startsWith("passthrough."))) references.delete(field);
    for (const v of variables) v.fields = v.fields.filter((f) => !f.startsWith("passthrough."));
    variables.splice(0, variables.length, ...variables.filter((v) => v.fields.length > 0));
    for (const [key, prefix] of Object.entries(LICENCE_KEYS)) {
      const kept = passthrough[key];
      if (!Array.isArray(kept)) continue;
      kept.forEach((text: string, i) => {
        if (text.trim() === "") return;
        const field = `passthrough.${key}.${i}`;
        let variable = variables.find((v) => v.value === text && v.asWritten);
        if (!variable) variables.push((variable = { name: uniqueName(variables, `${prefix}_${i + 1}`), value: text, fields: [], sensitive: true, asWritten: true }));
        variable.fields.push(field);
        references.set(field, variable.name);
      });
    }
    if (Object.keys(passthrough).length > 0) manifest.passthrough = passthrough;
    return generated;
  }
}

const uniqueName = (variables: readonly ImportedVariable[], name: string) => (variables.some((v) => v.name === name) ? `${name}_AS_WRITTEN` : name);

/** Two values of a path key naming the same place (`.\Build\` and `\Build\`). */
function samePath(def: KeyDef, a: SettingValue | undefined, b: SettingValue | undefined, options: { host: Platform; context: FourDPathContext }): boolean {
  if (def.type !== "path" || typeof a !== "string" || typeof b !== "string" || a.trim() === "") return false;
  const syntax = def.syntax === "host" ? options.host : def.syntax!;
  return JSON.stringify(fromFourDPath(a, syntax, options.context)) === JSON.stringify(fromFourDPath(b, syntax, options.context));
}

