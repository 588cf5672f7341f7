/** The targets a manifest declares and the platforms applications are built for. */
export type Platform = "mac" | "win";
export const PLATFORMS: readonly Platform[] = ["mac", "win"];

/** Targets merged with a 4D runtime, built once per platform. */
export type AppTarget = "standalone" | "server" | "client";
export const APP_TARGETS: readonly AppTarget[] = ["standalone", "server", "client"];

/** Targets that are the same on every platform. */
export type StructureTarget = "compiled" | "component";

export type TargetName = StructureTarget | AppTarget;
/** Clients before servers: a server carries the clients' update archives. */
export const TARGET_ORDER: readonly TargetName[] = ["compiled", "component", "standalone", "client", "server"];

export const isAppTarget = (target: string): target is AppTarget => (APP_TARGETS as readonly string[]).includes(target);

interface TargetsOf {
  targets?: { [name: string]: { enabled?: boolean; platforms?: readonly Platform[]; runtime?: { readonly [p: string]: unknown } } | undefined };
}

/** A target that is declared and not switched off. */
export function enabledTarget(manifest: TargetsOf, name: TargetName): boolean {
  const target = manifest.targets?.[name];
  return target !== undefined && target !== null && target.enabled !== false;
}

/** Platforms an application target builds for: as declared, else those with a runtime. */
export function targetPlatforms(manifest: TargetsOf, name: AppTarget): Platform[] {
  const target = manifest.targets?.[name];
  if (!target) return [];
  if (target.platforms) return [...target.platforms];
  return PLATFORMS.filter((p) => target.runtime?.[p] !== undefined);
}
