import { UsageError } from "../messages/errors.js";
import { closest, quoteList } from "../messages/text.js";
import type { Path } from "./source.js";
import { APP_TARGETS, isAppTarget, PLATFORMS, TARGET_ORDER, type Platform, type TargetName } from "./targets.js";

/**
 * The units a command is about (`--target`, `--platform`): absent lists mean every target, every platform.
 * Rules that check referenced files and per-platform requirements only look at the selected units.
 */
export interface Scope {
  readonly targets?: readonly TargetName[];
  readonly platforms?: readonly Platform[];
}

export const EVERY_UNIT: Scope = {};

const TARGET_NAMES: readonly TargetName[] = ["compiled", "component", "standalone", "server", "client"];

function checkedNames<T extends string>(given: readonly string[], known: readonly T[], what: "target" | "platform"): T[] {
  for (const name of given) {
    if ((known as readonly string[]).includes(name)) continue;
    const guess = closest(name, known);
    // `4dbuild validate --target compiled 4dbuild.yml` reads the manifest as a target name.
    const order = /[./\\]/.test(name) ? `; the manifest goes before --${what}, or after --` : "";
    throw new UsageError(`unknown ${what} "${name}"`, `${guess ? `did you mean ${guess}? ` : ""}${what}s: ${known.join(", ")}${order}`);
  }
  return [...new Set(given)] as T[];
}

/** Target names given as text (an option, an Action input): a UsageError with a did-you-mean for an unknown one. */
export const targetNames = (given: readonly string[]): TargetName[] => checkedNames(given, TARGET_NAMES, "target");
/** Platform names given as text, checked likewise. */
export const platformNames = (given: readonly string[]): Platform[] => checkedNames(given, PLATFORMS, "platform");

/** A scope from names given as text; empty or absent lists select everything. */
export function scopeOf(options: { targets?: readonly string[] | undefined; platforms?: readonly string[] | undefined }): Scope {
  const targets = options.targets?.length ? targetNames(options.targets) : undefined;
  const platforms = options.platforms?.length ? platformNames(options.platforms) : undefined;
  return { ...(targets ? { targets } : {}), ...(platforms ? { platforms } : {}) };
}

export const isScoped = (scope: Scope): boolean => Boolean(scope.targets?.length || scope.platforms?.length);

/** Whether the scope selects a target (and a platform, for an application target: structure targets have none). */
export function selects(scope: Scope, target: TargetName, platform?: Platform): boolean {
  if (scope.targets?.length && !scope.targets.includes(target)) return false;
  return platform === undefined || !isAppTarget(target) || !scope.platforms?.length || scope.platforms.includes(platform);
}

/** Whether every unit `inner` selects is selected by `outer`. */
export function covers(outer: Scope, inner: Scope): boolean {
  const within = <T>(a: readonly T[] | undefined, b: readonly T[] | undefined) => !a?.length || (Boolean(b?.length) && b!.every((x) => a.includes(x)));
  return within(outer.targets, inner.targets) && within(outer.platforms, inner.platforms);
}

/** The scope as the options that give it, for messages: `--target standalone --platform win`. */
export function describeScope(scope: Scope): string {
  return [scope.targets?.length ? `--target ${scope.targets.join(" ")}` : "", scope.platforms?.length ? `--platform ${scope.platforms.join(" ")}` : ""].filter(Boolean).join(" ");
}

/** The units a manifest field is an input of: some targets, on one platform or on all. */
interface Owner {
  targets: readonly TargetName[];
  platform?: Platform;
}

const isPlatform = (value: unknown): value is Platform => value === "mac" || value === "win";
const other = (platform: Platform): Platform => (platform === "mac" ? "win" : "mac");

/**
 * Which units use a field, for the fields naming inputs (x-path) and the per-platform requirements; undefined
 * for a field every unit uses (the project, structure.include, compile…). Follows what the build steps read.
 */
export function ownerOf(path: Path): Owner | undefined {
  const [a, b, c, d] = path;
  if (a === "targets" && TARGET_NAMES.includes(b as TargetName)) {
    const target = b as TargetName;
    if (isAppTarget(target) && (c === "runtime" || c === "icon" || c === "embeddedApplication") && isPlatform(d)) return { targets: [target], platform: d };
    // The structure compiled on macOS is embedded in the Windows server only.
    if (target === "server" && c === "appleSiliconClients") return { targets: ["server"], platform: "win" };
    return { targets: [target] };
  }
  if (a === "licenses" && b === "files" && isPlatform(c)) return { targets: APP_TARGETS, platform: c };
  if (a === "licenses" && b === "runner") return { targets: APP_TARGETS };
  // The archive of the clients of one platform goes into the server built on the other.
  if (a === "autoUpdate" && b === "otherPlatformClient" && isPlatform(c)) return { targets: ["server"], platform: other(c) };
  if (a === "network" && b === "tls" && c === "certificateAuthorities") return { targets: ["client"] };
  if (a === "data" && b === "defaultFolder") return { targets: ["standalone", "server"] };
  if (a === "components" && b === "fourD") return { targets: ["standalone", "server"] };
  if (a === "web" || (a === "modules" && b === "definitions")) return { targets: APP_TARGETS };
  if (a === "signing" && b === "mac" && c === "entitlements") return { targets: [...APP_TARGETS, "component"], platform: "mac" };
  if (a === "legacy" && b === "serverAboutPicture" && isPlatform(c)) return { targets: ["server"], platform: c };
  return undefined;
}

/** Whether a field matters to the units of the scope (always, for a field every unit uses). */
export function inScope(scope: Scope, path: Path): boolean {
  if (!isScoped(scope)) return true;
  const owner = ownerOf(path);
  return !owner || owner.targets.some((target) => selects(scope, target, owner.platform));
}

interface DeclaredTargets {
  targets?: { [name: string]: { enabled?: boolean } | null | undefined } | null;
}

/** A --target the manifest does not declare is a usage error, with a did-you-mean among those it declares. */
export function checkDeclared(scope: Scope, manifest: DeclaredTargets): void {
  const declared = TARGET_ORDER.filter((t) => manifest.targets?.[t] != null);
  for (const target of scope.targets ?? []) {
    if (declared.includes(target)) continue;
    const guess = closest(target, declared);
    throw new UsageError(`--target ${target}: the manifest declares no ${target} target`, `${guess ? `did you mean ${guess}? ` : ""}${declared.length ? `its targets: ${quoteList(declared)}` : "it declares no target"}`);
  }
}

interface PlannedTargets {
  readonly targets: { readonly [T in TargetName]?: { readonly platforms?: readonly Platform[] } };
}

/** The units of a plan the scope selects, as "standalone (win)" / "compiled", in build order. */
export function selectedUnits(plan: PlannedTargets, scope: Scope): string[] {
  return TARGET_ORDER.flatMap((target) => {
    const planned = plan.targets[target];
    if (!planned || !selects(scope, target)) return [];
    if (!isAppTarget(target)) return [target];
    return (planned.platforms ?? []).filter((p) => selects(scope, target, p)).map((p) => `${target} (${p})`);
  });
}

/** A scope that selects no unit of the plan is a usage error naming what the plan builds. */
export function requireUnits(plan: PlannedTargets, scope: Scope): void {
  if (!isScoped(scope) || selectedUnits(plan, scope).length > 0) return;
  const built = selectedUnits(plan, EVERY_UNIT);
  throw new UsageError(`${describeScope(scope)} selects nothing to build`, built.length ? `the manifest builds ${built.join(", ")} (a target with enabled: false is not built)` : "the manifest builds nothing: every target is switched off");
}
