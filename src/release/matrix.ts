import { isAppUnit, planUnits } from "../builder/units.js";
import { macIdentity } from "../builder/steps/sign.js";
import { openManifest, type ManifestOptions, type OpenedManifest } from "../manifest/open.js";
import { writes, type ReadonlyBuildPlan } from "../manifest/plan.js";

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
 * work to Linux, compilation with arm64 to macOS. Units are grouped per runner, so one job builds a platform's clients and server together
 * (the server embeds the clients' update archives).
 */
export function buildMatrix(plan: ReadonlyBuildPlan): Matrix {
  const macSigned = macIdentity(plan) !== undefined;
  const compile = compileRouting(plan);
  const groups = new Map<Runner, { targets: Set<string>; platforms: Set<string>; reason: string }>();
  for (const unit of planUnits(plan)) {
    const platform = isAppUnit(unit) ? unit.platform : undefined;
    const macCode = platform === "mac" || unit.target === "component";
    const [os, reason]: [Runner, string] =
      compile === "arm64" ? ["macos-latest", "compile.targets has arm64: Apple Silicon code is compiled on macOS"]
      : macCode && macSigned ? ["macos-latest", "macOS code signing runs on macOS"]
      : platform === "win" && plan.config.signing.win ? ["windows-latest", "signing.win runs on Windows"]
      : compile === "default" && platform !== "win" ? ["macos-latest", "compiling on macOS adds Apple Silicon code (arm64) to the default x86_64"]
      : ["ubuntu-latest", "plain file work"];
    const group = groups.get(os) ?? { targets: new Set<string>(), platforms: new Set<string>(), reason };
    group.targets.add(unit.target);
    if (platform) group.platforms.add(platform);
    groups.set(os, group);
  }
  const include = [...groups].map(([os, g]) => ({ os, targets: [...g.targets].join(" "), platforms: [...g.platforms].join(" "), name: `${plan.config.name}-${os.replace(/-latest$/, "")}`, reason: g.reason }));
  return { include };
}

/**
 * How compilation steers the runners: every job compiles for itself. arm64 written in compile.targets: every job
 * must run on macOS (4D compiles Apple Silicon code only there); the derived default (x86_64, plus arm64 on
 * macOS): jobs for macOS applications, the component and the compiled structure go to macOS to get both codes.
 */
function compileRouting(plan: ReadonlyBuildPlan): "arm64" | "default" | undefined {
  const compile = plan.config.compile;
  if (!compile.enabled) return undefined;
  if (writes(plan, "compile.targets")) return compile.targets.includes("arm64") ? "arm64" : undefined;
  return "default";
}

/**
 * The matrix of a manifest file, from its configuration alone: no input is read, so unset variables naming
 * inputs (runtimes, licence files…) are not errors. Throws InvalidInputError when the manifest is invalid.
 */
export function planMatrix(manifest: string, options: ManifestOptions = {}): { manifest: OpenedManifest; matrix: Matrix } {
  const opened = openManifest(manifest, { ...options, checkFiles: options.checkFiles ?? false, checkProject: options.checkProject ?? false, inputsNeeded: options.inputsNeeded ?? false });
  return { manifest: opened, matrix: buildMatrix(opened.plan) };
}
