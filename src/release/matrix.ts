import { isAppUnit, planUnits } from "../builder/units.js";
import { macIdentity } from "../builder/steps/sign.js";
import { openManifest, type ManifestOptions, type OpenedManifest } from "../manifest/open.js";
import type { ReadonlyBuildPlan } from "../manifest/plan.js";

type Runner = "macos-latest" | "windows-latest" | "ubuntu-latest";

export interface MatrixEntry {
  /** The runner label. */
  os: Runner;
  /** Space-separated, for `--target` / the action's `targets` input. */
  targets: string;
  /** Space-separated, for `--platform` / the action's `platforms` input; empty when only structures are built. */
  platforms: string;
  /** A name for the job's artifact. */
  name: string;
  reason: string;
}

/** A GitHub Actions strategy.matrix: `strategy: { matrix: ${{ fromJSON(…) }} }`. */
export interface Matrix {
  include: MatrixEntry[];
}

/**
 * A GitHub Actions strategy.matrix sending each target × platform where it can be finished: macOS code that
 * must be signed (an identity, or ad-hoc for Apple Silicon) to macOS, Windows signing to Windows, plain file
 * work to Linux. Units are grouped per runner, so one job builds a platform's clients and server together
 * (the server embeds the clients' update archives).
 */
export function buildMatrix(plan: ReadonlyBuildPlan): Matrix {
  const macSigned = macIdentity(plan) !== undefined;
  const groups = new Map<Runner, { targets: Set<string>; platforms: Set<string>; reason: string }>();
  for (const unit of planUnits(plan)) {
    const platform = isAppUnit(unit) ? unit.platform : undefined;
    const macCode = platform === "mac" || unit.target === "component";
    const [os, reason]: [Runner, string] =
      macCode && macSigned ? ["macos-latest", "macOS code signing runs on macOS"] : platform === "win" && plan.config.signing.win ? ["windows-latest", "signing.win runs on Windows"] : ["ubuntu-latest", "plain file work"];
    const group = groups.get(os) ?? { targets: new Set<string>(), platforms: new Set<string>(), reason };
    group.targets.add(unit.target);
    if (platform) group.platforms.add(platform);
    groups.set(os, group);
  }
  const include = [...groups].map(([os, g]) => ({ os, targets: [...g.targets].join(" "), platforms: [...g.platforms].join(" "), name: `${plan.config.name}-${os.replace(/-latest$/, "")}`, reason: g.reason }));
  return { include };
}

/** The matrix of a manifest file. Throws InvalidInputError when the manifest is invalid. */
export function planMatrix(manifest: string, options: ManifestOptions = {}): { manifest: OpenedManifest; matrix: Matrix } {
  const opened = openManifest(manifest, { ...options, checkFiles: options.checkFiles ?? false });
  return { manifest: opened, matrix: buildMatrix(opened.plan) };
}
