/**
 * A 4D version as 4D names it: "20" and "20.3" (LTS and its bug-fix releases), "20 R8" (feature release).
 * Features follow major then R number: 20 < 20.3 (= 20) < 20 R2 < … < 20 R10 < 21 < 21 R2.
 */
export interface FourDVersion {
  text: string;
  major: number;
  /** R number, 0 for an LTS version. */
  release: number;
}

const FORMAT = /^([1-9][0-9])(?:\.([0-9]+)| R([1-9][0-9]?))?$/;

export function parseFourDVersion(text: string): FourDVersion | undefined {
  const match = FORMAT.exec(text.trim());
  if (!match) return undefined;
  return { text: text.trim(), major: Number(match[1]), release: match[3] ? Number(match[3]) : 0 };
}

export function compareFourD(a: FourDVersion, b: FourDVersion): number {
  return a.major - b.major || a.release - b.release;
}

export function atLeast(version: FourDVersion, minimum: string): boolean {
  const other = parseFourDVersion(minimum);
  if (!other) throw new Error(`bad 4D version constant ${minimum}`);
  return compareFourD(version, other) >= 0;
}

export const isRRelease = (version: FourDVersion): boolean => version.release > 0;
