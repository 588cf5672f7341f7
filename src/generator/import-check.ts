import path from "node:path";
import { stringify } from "yaml";
import type { Manifest } from "../manifest/manifest.generated.js";
import { loadManifestText } from "../manifest/load.js";
import type { Diagnostic } from "../messages/diagnostics.js";
import { setField } from "./bindings.js";

/**
 * What `validate` says of an imported manifest, with the machine paths it reads from variables set to the
 * values the file held and files not checked (they are the build machine's): the same rules, the same 4dbuild.
 */
export function importedManifestProblems(manifest: Manifest, references: ReadonlyMap<string, string>, values: Readonly<Record<string, string>>, manifestDir: string): Diagnostic[] {
  const written = structuredClone(manifest) as unknown as Record<string, unknown>;
  for (const [field, name] of references) setField(written, field, `\${env.${name}}`);
  const text = stringify(written, { lineWidth: 0 });
  return loadManifestText(path.join(manifestDir, "4dbuild.yml"), text, { env: { ...values }, checkFiles: false, checkProject: false, git: () => undefined }).diagnostics;
}
