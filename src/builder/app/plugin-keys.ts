/**
 * The file name of an Escape plug-in end-user key (licenses-and-ci.md §3.3), the vendor's rule step by step:
 *   1. strip one known extension (.comp, .4DB, .4DC, .EXE)
 *   2. every non-alphabetic character becomes "_"        → name2
 *   3. every "_" is removed                               → name3
 *   4. name2 if at least 2 long, else name3 if at least 2 long, else the original name
 *   5. at most 27 characters, then ".QLC"
 * The readings of the ambiguous points are options, defaulting to the reference's choices.
 */
export interface QlcRule {
  /** Extensions removed in step 1. */
  extensions: readonly string[];
  /** Match the extensions whatever their case. */
  ignoreExtensionCase: boolean;
  /** "Original name" of step 4: the name as given (true) or without its extension (false). */
  originalWithExtension: boolean;
}

export const DEFAULT_QLC_RULE: QlcRule = { extensions: [".comp", ".4DB", ".4DC", ".EXE"], ignoreExtensionCase: true, originalWithExtension: true };

export function qlcFileName(databaseName: string, rule: QlcRule = DEFAULT_QLC_RULE): string {
  const matches = (ext: string) => (rule.ignoreExtensionCase ? databaseName.toLowerCase().endsWith(ext.toLowerCase()) : databaseName.endsWith(ext));
  const extension = rule.extensions.find(matches);
  const name1 = extension ? databaseName.slice(0, -extension.length) : databaseName;
  // "Alpha" is read as ASCII letters; JavaScript lengths count UTF-16 units, as 4D's Length does.
  const name2 = name1.replace(/[^A-Za-z]/g, "_");
  const name3 = name2.replace(/_/g, "");
  const original = rule.originalWithExtension ? databaseName : name1;
  const name4 = name2.length >= 2 ? name2 : name3.length >= 2 ? name3 : original;
  return `${name4.slice(0, 27)}.QLC`;
}

export type KeyFormat = "legacy" | "current";

/**
 * Escape keys come in two shapes (§3.2): old keys, exactly 16 upper-case characters (digits accepted as a
 * precaution); current keys, longer and mixed-case. Returns undefined for anything else.
 */
export function escapeKeyFormat(key: string): KeyFormat | undefined {
  const trimmed = key.trim();
  if (/^[A-Z0-9]{16}$/.test(trimmed)) return "legacy";
  if (trimmed.length > 16 && /^[\x21-\x7e]+$/.test(trimmed) && /[a-z]/.test(trimmed) && /[A-Z]/.test(trimmed)) return "current";
  return undefined;
}
