/**
 * What a .license4D file name tells (licenses-and-ci.md §1.2–1.3): an "R-" prefix for R-release licences,
 * a 4-letter product code, and a version code (first two digits of the major version, then 0: 190, 200).
 * Names are hints, not guarantees; the contents are opaque and never read.
 */
export const PRODUCT_CODES: Readonly<Record<string, string>> = {
  "4UOE": "OEM Desktop",
  "4UUD": "Unlimited Desktop",
  "4UOS": "OEM Server",
  "4DOM": "OEM XML Keys",
  "4DDP": "Developer Professional",
  "4DTD": "Team Developer",
  "4DOE": "OEM Developer",
  "4DOT": "OEM Team Developer",
  "4USE": "Server",
  PNDP: "Partner Developer",
  PNUD: "Partner Deployment",
};

/** The last component of a path of any system (a Windows path read on Linux has no "/"). */
export const fileName = (file: string): string => file.split(/[\\/:]/).at(-1) ?? file;

export interface LicenseName {
  rRelease: boolean;
  product?: string;
  /** Major 4D version the licence is for, from its version code. */
  major?: number;
}

export function classifyLicenseName(fileName: string): LicenseName {
  const base = fileName.replace(/\.license4D$/i, "");
  const rRelease = /^R-/i.test(base);
  for (const code of Object.keys(PRODUCT_CODES)) {
    const at = base.toUpperCase().indexOf(code);
    if (at < 0) continue;
    const version = /^(\d{2})0/.exec(base.slice(at + code.length));
    return { rRelease, product: code, ...(version ? { major: Number(version[1]) } : {}) };
  }
  return { rRelease };
}
