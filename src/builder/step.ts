import type { ReadonlyBuildPlan } from "../manifest/plan.js";
import type { BuildContext } from "./context.js";
import type { BuildUnit } from "./units.js";

/** A step that runs once per build. `skip` says when and why it does nothing (also printed by 4dbuild plan). */
export interface BuildStep {
  scope: "build";
  name: string;
  title: string;
  skip?(plan: ReadonlyBuildPlan): string | false;
  run(context: BuildContext): Promise<void>;
}

/** A step that runs once per unit it applies to (target × platform); `appliesTo` narrows the unit's type. */
export interface UnitStep<U extends BuildUnit = BuildUnit> {
  scope: "unit";
  name: string;
  title: string;
  appliesTo(unit: BuildUnit): unit is U;
  skip?(plan: ReadonlyBuildPlan, unit: U): string | false;
  run(context: BuildContext, unit: U): Promise<void>;
}

export type Step = BuildStep | UnitStep;
