import path from "node:path";
import { BIDI, CONTROL, fileNameProblem } from "../../files/file-names.js";
import { displayPath, type Path } from "../source.js";
import type { Rule, RuleContext } from "./context.js";

const NAMING_DEFAULT = { server: "{name} Server", client: "{name} Client" } as const;

/**
 * Names that become files and folders (the application's, the server's and client's, cache folders, the parts of
 * structure.include[].to) must be names macOS and Windows accept. Every text of the manifest is free of control and bidi characters: they would reach a
 * terminal (plan), or a settings file, where XML 1.0 cannot hold them.
 */
export const checkNames: Rule = (context) => {
  const { manifest, report } = context;
  const named = new Set<string>();
  const check = (at: Path, name: string, what = displayPath(at)) => {
    const problem = fileNameProblem(name);
    if (!problem) return true;
    named.add(displayPath(at));
    report("error", "bad-name", at, `${what} ${problem}`, "a name becomes a file or folder on macOS and Windows: use letters, digits, spaces, - _ . ( ) and the like");
    return false;
  };

  const nameAt: Path = typeof manifest.name === "string" ? ["name"] : ["project"];
  const name = typeof manifest.name === "string" ? manifest.name : typeof manifest.project === "string" ? path.basename(manifest.project).replace(/\.4DProject$/i, "") : undefined;
  const nameIsValid = name !== undefined && check(nameAt, name, nameAt[0] === "name" ? "name" : "the application name (from project)");
  const effective: Partial<Record<"server" | "client", string>> = {};
  for (const target of ["server", "client"] as const) {
    const template = manifest.naming?.[target];
    if (typeof template === "string" && nameIsValid) {
      effective[target] = template.replaceAll("{name}", name);
      check(["naming", target], effective[target], `naming.${target} (with {name} = "${name}")`);
    } else if (nameIsValid) effective[target] = NAMING_DEFAULT[target].replace("{name}", name);
  }
  // Server and client given one name are the outputs rule's (same-output): the place, per platform.
  for (const target of ["server", "client"] as const) {
    const folder = manifest.targets?.[target]?.cacheFolderName;
    if (typeof folder === "string") check(["targets", target, "cacheFolderName"], folder);
  }
  (manifest.structure?.include ?? []).forEach((entry, i) => {
    const to = (entry as { to?: unknown }).to;
    if (typeof to !== "string") return;
    for (const part of to.split("/")) if (part !== "" && part !== "." && !check(["structure", "include", i, "to"], part, `structure.include[${i}].to: "${part}"`)) break;
  });
  checkTexts(context, manifest, [], named);
};

/** Control and bidi characters anywhere, named by code point (the value may be a secret: never quoted). */
function checkTexts(context: RuleContext, value: unknown, at: Path, named: ReadonlySet<string>): void {
  if (typeof value === "string") {
    const found = (/[\t\n\r]/.test(value) ? value.replace(/[\t\n\r]/g, "") : value).match(CONTROL) ?? value.match(BIDI);
    if (found && !named.has(displayPath(at))) {
      const code = `U+${found[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
      context.report("error", "control-character", at, `${displayPath(at)} contains the ${CONTROL.test(found[0]) ? "control" : "bidirectional control"} character ${code}`, "remove it: it would reach terminals and settings files, where it is invalid or misleading");
    }
  } else if (Array.isArray(value)) value.forEach((item, i) => checkTexts(context, item, [...at, i], named));
  else if (value !== null && typeof value === "object") for (const [key, item] of Object.entries(value)) checkTexts(context, item, [...at, key], named);
}
