import * as PE from "pe-library";
import * as ResEdit from "resedit";
import { releaseVersion, windowsNumbers } from "../../manifest/versioning.js";

/** Version strings of a Windows executable (build-outputs.md §9). */
export interface WindowsVersionInfo {
  ProductName: string;
  OriginalFilename: string;
  FileVersion?: string;
  ProductVersion?: string;
  LegalCopyright?: string;
  CompanyName?: string;
  FileDescription?: string;
  InternalName?: string;
  Comments?: string;
  LegalTrademarks?: string;
  PrivateBuild?: string;
  SpecialBuild?: string;
}

const LANGUAGE = { lang: 1033, codepage: 1200 };

const PRERELEASE = ResEdit.Resource.VersionFileFlags.Prerelease;

/**
 * Sets the version resources (string table and fixed file info) of a Windows executable and, when given,
 * replaces its icon group. Returns the new executable; the input is not modified.
 */
export function editWindowsExecutable(binary: Uint8Array, info: WindowsVersionInfo | undefined, icon?: Uint8Array): Buffer {
  const exe = PE.NtExecutable.from(binary, { ignoreCert: true });
  const resources = ResEdit.NtExecutableResource.from(exe);
  if (info) {
    const existing = ResEdit.Resource.VersionInfo.fromEntries(resources.entries)[0] ?? ResEdit.Resource.VersionInfo.createEmpty();
    // The numeric versions first: setting them also rewrites the version strings, which come next. The strings
    // keep the whole version; the fixed info gets its numbers and the pre-release flag (manifest/versioning.ts).
    const file = releaseVersion(info.FileVersion);
    const product = releaseVersion(info.ProductVersion);
    if (file) existing.setFileVersion(...windowsNumbers(file), LANGUAGE.lang);
    if (product) existing.setProductVersion(...windowsNumbers(product), LANGUAGE.lang);
    const version = product ?? file;
    if (version?.preRelease) {
      existing.fixedInfo.fileFlagsMask |= PRERELEASE;
      existing.fixedInfo.fileFlags |= PRERELEASE;
    } else if (version) existing.fixedInfo.fileFlags &= ~PRERELEASE; // the mask stays the runtime's
    existing.setStringValues(LANGUAGE, Object.fromEntries(Object.entries(info).filter(([, v]) => v !== undefined)) as Record<string, string>);
    existing.outputToResourceEntries(resources.entries);
  }
  if (icon) {
    const file = ResEdit.Data.IconFile.from(icon);
    const groups = ResEdit.Resource.IconGroupEntry.fromEntries(resources.entries);
    const id = groups[0]?.id ?? 1;
    ResEdit.Resource.IconGroupEntry.replaceIconsForResource(resources.entries, id, LANGUAGE.lang, file.icons.map((i) => i.data));
  }
  resources.outputResource(exe);
  return Buffer.from(exe.generate());
}

/** The version strings of a Windows executable, to check what was written. */
export function readWindowsVersion(binary: Uint8Array): Record<string, string> {
  const resources = ResEdit.NtExecutableResource.from(PE.NtExecutable.from(binary, { ignoreCert: true }));
  return ResEdit.Resource.VersionInfo.fromEntries(resources.entries)[0]?.getStringValues(LANGUAGE) ?? {};
}
