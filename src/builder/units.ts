import type { ReadonlyBuildPlan } from "../manifest/plan.js";
import { selects, type Scope } from "../manifest/scope.js";
import { isAppTarget, TARGET_ORDER, type AppTarget, type Platform, type StructureTarget, type TargetName } from "../manifest/targets.js";

/** The compiled structure or the component: built once, the same on every platform. */
export interface StructureUnit<T extends StructureTarget = StructureTarget> {
  target: T;
}

/** An application built for one platform. */
export interface AppUnit<T extends AppTarget = AppTarget> {
  target: T;
  platform: Platform;
}

/** One target built for one platform: what the unit steps run for. */
export type BuildUnit = StructureUnit | AppUnit;

/** The unit of a target: an application unit has a platform, a structure unit has none. */
export type UnitOf<T extends TargetName> = T extends AppTarget ? AppUnit<T> : T extends StructureTarget ? StructureUnit<T> : never;

export const isAppUnit = (unit: BuildUnit): unit is AppUnit => "platform" in unit;

export const unitName = (unit: BuildUnit): string => (isAppUnit(unit) ? `${unit.target} ${unit.platform}` : unit.target);

/** A type guard for the units of the given targets, for a step's `appliesTo`. */
export const unitsOf =
  <T extends TargetName>(...targets: T[]) =>
  (unit: BuildUnit): unit is UnitOf<T> =>
    (targets as readonly string[]).includes(unit.target);

export const anyUnit = (_unit: BuildUnit): _unit is BuildUnit => true;

/** Every unit a plan builds, in build order (clients before servers), optionally narrowed to some targets and platforms. */
export function planUnits(plan: Pick<ReadonlyBuildPlan, "targets">, only: Scope = {}): BuildUnit[] {
  const units: BuildUnit[] = [];
  for (const target of TARGET_ORDER) {
    if (!plan.targets[target] || !selects(only, target)) continue;
    if (!isAppTarget(target)) units.push({ target } as StructureUnit);
    else for (const platform of plan.targets[target]!.platforms) if (selects(only, target, platform)) units.push({ target, platform });
  }
  return units;
}
