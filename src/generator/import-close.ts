import type { Diagnostic } from "../messages/diagnostics.js";
import { fromPointer } from "../manifest/source.js";

/** A machine path the file held, now read from an environment variable. */
export interface ImportedVariable {
  name: string;
  value: string;
  fields: string[];
  /** Licence file names contain the licence number: never shown. */
  sensitive: boolean;
  /** The value is the path as 4D writes it (a licence kept in passthrough), not a path of the machine's system. */
  asWritten?: boolean;
}

/** The manifest import is writing, with the variables its machine paths come from. */
export interface ImportDraft<V extends ImportedVariable = ImportedVariable> {
  manifest: Record<string, unknown>;
  /** field → variable name. */
  references: Map<string, string>;
  variables: V[];
  /** The fields import set, each with the buildApp.4DSettings keys it was read from. */
  fields: Map<string, readonly string[]>;
}

/** Problems of the imported manifest that mean "not as the file has it": refused by a rule, or ignored by its 4D. */
const closes = (d: Diagnostic) => d.severity === "error" || d.code === "newer-than-4d";

const related = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);

/** The imported fields a problem at `at` is about: those at or below it, else the nearest one above it. */
function concerned(draft: ImportDraft, at: string): string[] {
  if (at === "") return [];
  const fields = [...draft.fields.keys()];
  const below = fields.filter((f) => f === at || f.startsWith(`${at}.`));
  if (below.length > 0) return below;
  const above = fields.filter((f) => at.startsWith(`${f}.`)).sort((a, b) => b.length - a.length);
  return above.slice(0, 1);
}

function removeField(root: Record<string, unknown>, field: string): void {
  const segments = field.split(".");
  const parents: Record<string, unknown>[] = [root];
  for (const segment of segments.slice(0, -1)) {
    const next = parents.at(-1)![segment];
    if (next === null || typeof next !== "object") return;
    parents.push(next as Record<string, unknown>);
  }
  delete parents.at(-1)![segments.at(-1)!];
  // Mappings left empty go too, except a target (declared by being there) and licenses (an empty Licenses element).
  for (let depth = parents.length - 1; depth >= 1; depth--) {
    const at = segments.slice(0, depth);
    if (Object.keys(parents[depth]!).length > 0 || (at[0] === "targets" && at.length <= 2) || at.join(".") === "licenses") break;
    delete parents[depth - 1]![at.at(-1)!];
  }
}

/** Leaves an imported field out of the draft, with the variables only it used. */
export function forgetImportedField(draft: ImportDraft, field: string): void {
  removeField(draft.manifest, field);
  draft.fields.delete(field);
  for (const referenced of [...draft.references.keys()].filter((f) => related(f, field))) draft.references.delete(referenced);
  for (const variable of draft.variables) variable.fields = variable.fields.filter((f) => !related(f, field));
  draft.variables.splice(0, draft.variables.length, ...draft.variables.filter((v) => v.fields.length > 0));
}

/**
 * Makes an import close: whatever the same 4dbuild would refuse in the imported fields (old licences, a
 * combination a rule rejects) or what the file's 4D version ignores is left out of the fields, so that the key
 * goes back through passthrough exactly as the file wrote it, and is reported once, here. `check` recomputes
 * passthrough for the draft as it is and returns what validate says of it.
 */
export function closeImport(draft: ImportDraft, check: () => Diagnostic[], file: string): Diagnostic[] {
  const warnings: Diagnostic[] = [];
  for (let round = 0; round <= draft.fields.size; round++) {
    const left = new Map<string, Diagnostic>();
    for (const problem of check().filter(closes)) {
      for (const field of concerned(draft, fromPointer(problem.pointer ?? "").join("."))) if (!left.has(field)) left.set(field, problem);
    }
    if (left.size === 0) break;
    for (const [field, problem] of left) {
      const keys = draft.fields.get(field)!;
      forgetImportedField(draft, field);
      warnings.push({
        severity: "warning",
        code: "import-kept",
        file,
        message: `${keys.join(", ")} ${keys.length > 1 ? "are" : "is"} kept in passthrough as the file wrote ${keys.length > 1 ? "them" : "it"}, not as ${field}: ${problem.message}`,
        hint: problem.hint ? `4dbuild writes ${keys.length > 1 ? "them" : "it"} back unchanged; to use ${field}: ${problem.hint}` : `4dbuild writes ${keys.length > 1 ? "them" : "it"} back unchanged`,
      });
    }
  }
  return warnings;
}
