import { cpSync, writeFileSync } from "node:fs";
import path from "node:path";
import { FIXTURES, tempDir } from "./helpers.js";

// Settings files shaped like the ones 4D's Build Application dialog writes (the reference corpus: a blank line
// after <Preferences4D>, the dialog's key order, empty HardLink and MacCertificate elements, two blank lines at
// the end), for a small macOS stand-alone application built with 4D 20 R8. The text is this project's own.

export interface Revision {
  /** SignApplication/MacSignature and MacCertificate. */
  sign?: boolean;
  identity?: string;
  destination?: string;
  /** The server target, with its runtime and the keys the dialog writes beside it. */
  server?: boolean;
  /** How many licence files (a deployment licence, then a developer licence). */
  licences?: number;
  modules?: string[];
}

export const IDENTITY = "Developer ID Application: Ledger Software (LDG1234567)";

/** Licence file names hold licence numbers: no output may show them. */
export const LICENCE_NAMES = ["R-4UUD200UUS001TESTA1.license4D", "R-4DOE200UUS001TESTB2.license4D"];

const items = (values: readonly string[], indent: string) => values.map((v, i) => `\n${indent}<Item${i + 1}>${v}</Item${i + 1}>`).join("");

export function settingsText(r: Revision = {}): string {
  const licences = LICENCE_NAMES.slice(0, r.licences ?? 1).map((name) => `Macintosh HD:Users:dev:Library:Application Support:4D:Licenses:${name}`);
  const modules = r.modules ?? [];
  const serverFolder = r.server ? "\n        <ServerMacFolder>Macintosh HD:Applications:4D v20 R8:4D Server.app:</ServerMacFolder>" : "";
  const silicon = r.server ? "\n      <MacCompiledDatabaseToWinIncludeIt>False</MacCompiledDatabaseToWinIncludeIt>\n      <MacCompiledDatabaseToWin></MacCompiledDatabaseToWin>" : "";
  const flag = (on: boolean | undefined) => (on ? "True" : "False");
  return `<?xml version="1.0" encoding="UTF-8" standalone="no" ?>
<Preferences4D>

  <BuildApp>
    <BuildCompiled>False</BuildCompiled>
    <IncludeAssociatedFolders>True</IncludeAssociatedFolders>
    <BuildComponent>False</BuildComponent>
    <BuildApplicationSerialized>True</BuildApplicationSerialized>
    <RuntimeVL>
      <LastDataPathLookup>ByAppName</LastDataPathLookup>
    </RuntimeVL>
    <SourcesFiles>
      <RuntimeVL>
        <RuntimeVLIncludeIt>True</RuntimeVLIncludeIt>
        <RuntimeVLMacFolder>Macintosh HD:Applications:4D v20 R8:4D Volume Desktop.app:</RuntimeVLMacFolder>
      </RuntimeVL>
      <CS>
        <ServerIncludeIt>${flag(r.server)}</ServerIncludeIt>
        <ClientMacIncludeIt>False</ClientMacIncludeIt>
        <ClientWinIncludeIt>False</ClientWinIncludeIt>${serverFolder}
      </CS>
    </SourcesFiles>
    <CS>
      <BuildServerApplication>${flag(r.server)}</BuildServerApplication>
      <LastDataPathLookup>ByAppName</LastDataPathLookup>
      <BuildCSUpgradeable>False</BuildCSUpgradeable>
      <CurrentVers>1</CurrentVers>
      <HardLink></HardLink>${silicon}
    </CS>
    <BuildApplicationName>Ledger</BuildApplicationName>
    <BuildMacDestFolder>${r.destination ?? "::Build:"}</BuildMacDestFolder>
    <ArrayExcludedPluginName>
      <ItemsCount>0</ItemsCount>
    </ArrayExcludedPluginName>
    <ArrayExcludedComponentName>
      <ItemsCount>0</ItemsCount>
    </ArrayExcludedComponentName>
    <ArrayExcludedModuleName>
      <ItemsCount>${modules.length}</ItemsCount>${items(modules, "      ")}
    </ArrayExcludedModuleName>
    <Licenses>
      <ArrayLicenseMac>
        <ItemsCount>${licences.length}</ItemsCount>${items(licences, "        ")}
      </ArrayLicenseMac>
    </Licenses>
    <SignApplication>
      <MacSignature>${flag(r.sign)}</MacSignature>
      <MacCertificate>${r.identity ?? ""}</MacCertificate>
      <AdHocSign>True</AdHocSign>
    </SignApplication>
  </BuildApp>


</Preferences4D>
`;
}

/** A project package (the fixture project) holding the two revisions as before.4DSettings and after.4DSettings. */
export function packageWithRevisions(before: Revision, after: Revision): string {
  const dir = tempDir("history");
  cpSync(path.join(FIXTURES, "app", "Project"), path.join(dir, "Project"), { recursive: true });
  writeFileSync(path.join(dir, "before.4DSettings"), settingsText(before));
  writeFileSync(path.join(dir, "after.4DSettings"), settingsText(after));
  return dir;
}
