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

export type LicensedTarget = "standalone" | "server";

/**
 * Deployment product codes that fit each licensed application, most appropriate first: OEM, then the regular
 * deployment licence, then the partner one (the order 4D documents for automatic licences: OEM, then 4D Desktop
 * Business, then others; developer.4d.com/docs/21-R2/Desktop/building#application-automatically-embedding-available-licenses).
 * 4DOM (OEM XML keys) goes with an OEM server as a second file, never alone.
 */
export const TARGET_PRODUCTS: Readonly<Record<LicensedTarget, readonly string[]>> = {
  standalone: ["4UOE", "4UUD", "PNUD"],
  server: ["4UOS", "4USE", "PNUD"],
};
export const OEM_KEYS = "4DOM";
/** Product codes of development licences: they let 4D build, they are not embedded (licenses-and-ci.md §1.2). */
export const DEVELOPMENT_PRODUCTS: ReadonlySet<string> = new Set(["4DDP", "4DTD", "4DOE", "4DOT", "PNDP"]);

/**
 * The one licence file (its index in `files`) an application of `target` gets: the first file of the most
 * appropriate product code, else the first deployment file whose name has no known code (names are hints).
 */
export function chooseLicenseIndex(files: readonly string[], target: LicensedTarget): number | undefined {
  const products = files.map((file) => classifyLicenseName(fileName(file)).product);
  for (const code of TARGET_PRODUCTS[target]) {
    const at = products.indexOf(code);
    if (at >= 0) return at;
  }
  const unknown = products.findIndex((p) => p === undefined);
  return unknown >= 0 ? unknown : undefined;
}
