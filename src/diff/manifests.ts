import { fileName } from "../four-d/license-names.js";
import type { Platform } from "../manifest/targets.js";
import { hasErrors, type Diagnostic } from "../messages/diagnostics.js";
import { UsageError } from "../messages/errors.js";
import { Redactor } from "../messages/redactor.js";
import { diffPlans, type ManifestDiff } from "./compare.js";
import { loadManifestSide, loadSettingsSide, toldVersion, type LoadedSide } from "./load-side.js";
import { readSide, type DiffSide, type SideText } from "./sides.js";
import { LICENCE_KEY } from "./view.js";

export type { DiffSide } from "./sides.js";

export interface DiffOptions {
  env?: NodeJS.ProcessEnv;
  /** Where files and git revisions are looked up; default the process's folder. */
  cwd?: string;
  /**
   * The file read at a side given as a bare revision; default 4dbuild.yml, and then, where it does not exist,
   * the project's Settings/buildApp.4DSettings.
   */
  manifest?: string;
  /** The OS a settings file was written on, for a file that does not tell and whose import depends on it. */
  host?: Platform;
  /** Collects the secrets both sides read (and their licence file names); default a new one. */
  redactor?: Redactor;
}

/** What was compared on one side, and what is wrong with it. */
export interface SideReport {
  label: string;
  kind: "manifest" | "settings" | "none";
  /** False when the side could not be read at all (no plan): nothing of it was compared. */
  compared: boolean;
  problems: Diagnostic[];
}

export interface DiffResult {
  diff: ManifestDiff & { sides: { base: SideReport; head: SideReport } };
  /** Masks the secrets (and licence file names) both sides read: pass the rendered diff through it. */
  redactor: Redactor;
  /** Texts the problems point into, for code frames. */
  sources: Map<string, string>;
  /** Neither side has an error. */
  valid: boolean;
}

/** Licence file names (they hold the licence number) go through the redactor too, whatever prints them. */
function maskLicences(side: LoadedSide, redactor: Redactor): void {
  const config = side.compared?.plan.config;
  if (!config) return;
  for (const platform of ["mac", "win"] as const) {
    const kept = config.passthrough?.[LICENCE_KEY[platform]];
    for (const value of [...(config.licenses.files?.[platform] ?? []), ...(Array.isArray(kept) ? (kept as string[]) : [])]) {
      if (!/\.license4D$/i.test(value)) continue;
      redactor.add(value);
      redactor.add(fileName(value));
    }
  }
}

const report = (side: LoadedSide): SideReport => ({ label: side.label, kind: side.kind, compared: side.compared !== undefined, problems: side.problems });

/**
 * Compares two build configurations — manifests, buildApp.4DSettings files (imported in memory), or either at a
 * git revision — by meaning: settings with what they mean for users, the generated settings files, the
 * artifacts. Nothing of the build machine is needed: unset variables are compared as references, files are not
 * checked, and an invalid side is compared as far as it can be, with its problems in the result. Throws
 * UsageError only for a side that is neither a file nor a revision, or a settings file whose system must be told.
 */
export function diffManifests(base: DiffSide, head: DiffSide, options: DiffOptions = {}): DiffResult {
  const cwd = options.cwd ?? process.cwd();
  const manifest = options.manifest ?? "4dbuild.yml";
  const texts = [readSide(cwd, base, manifest, options.manifest !== undefined), readSide(cwd, head, manifest, options.manifest !== undefined)] as const;
  if (texts.every((t) => t.kind === "none")) throw new UsageError(`neither ${texts[0].label} nor ${texts[1].label} exists`, "give the path of the manifest or settings file at those revisions");
  const redactor = options.redactor ?? new Redactor();
  const common = { env: options.env ?? process.env, redactor, ...(options.host ? { host: options.host } : {}) };
  const none = (t: SideText): LoadedSide => ({ label: t.label, kind: "none", problems: [], sources: new Map() });

  // Manifests first: a settings file that does not tell its 4D version takes the other side's.
  const loaded: (LoadedSide | undefined)[] = texts.map((t) => (t.kind === "manifest" ? loadManifestSide(t, common) : t.kind === "none" ? none(t) : undefined));
  texts.forEach((t, i) => {
    if (loaded[i]) return;
    const other = loaded[1 - i]?.compared?.plan.config["4dVersion"] ?? (texts[1 - i]!.kind === "settings" ? toldVersion(texts[1 - i]!) : undefined);
    loaded[i] = loadSettingsSide(t, { ...common, ...(other ? { fourDVersion: other } : {}) });
  });
  const [b, h] = loaded as [LoadedSide, LoadedSide];
  for (const side of [b, h]) maskLicences(side, redactor);

  // A side that exists but cannot be read at all is not "no configuration": nothing is compared, its problems say why.
  const unreadable = [b, h].some((s) => s.kind !== "none" && !s.compared);
  const labels = { base: b.label, head: h.label };
  const diff = unreadable ? { ...labels, settings: [], xml: [], artifacts: [] } : diffPlans(b.compared, h.compared, labels, { cwd });
  const sources = new Map([...b.sources, ...h.sources]);
  const valid = ![b, h].some((s) => hasErrors(s.problems) || (s.kind !== "none" && !s.compared));
  return { diff: { ...diff, sides: { base: report(b), head: report(h) } }, redactor, sources, valid };
}
