import { walkWithSchema } from "../schema-walk.js";
import { displayPath } from "../source.js";
import type { Rule } from "./context.js";

const isEmpty = (value: unknown) => value === "" || (Array.isArray(value) ? value.length === 0 : value !== null && typeof value === "object" && Object.keys(value).length === 0);

/**
 * Fields marked x-settings-only reach buildApp.4DSettings (4D's own builder applies them) but 4dbuild build
 * does not act on them: a value other than the default is worth a warning, so nobody expects it in the output.
 */
export const checkSettingsOnly: Rule = ({ manifest, report, invalid }) => {
  for (const { path, value, schema } of walkWithSchema(manifest)) {
    const why = schema["x-settings-only"];
    if (!why || value === undefined || value === schema.default || isEmpty(value) || invalid(path)) continue;
    report("warning", "settings-only", path, `${displayPath(path)} only reaches buildApp.4DSettings: 4dbuild build does not apply it (${why})`, "4D's own builder applies it (4dbuild generate); remove it if you build with 4dbuild only", "key");
  }
};
