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
  /** Assembles the applications: 4D or Build4D does it instead with build.engine 4d or build4d. */
  assembly?: true;
}

/** A step that runs once per unit it applies to (target × platform); `appliesTo` narrows the unit's type. */
export interface UnitStep<U extends BuildUnit = BuildUnit> {
  scope: "unit";
  name: string;
  title: string;
  appliesTo(unit: BuildUnit): unit is U;
  skip?(plan: ReadonlyBuildPlan, unit: U): string | false;
  run(context: BuildContext, unit: U): Promise<void>;
  /** Assembles the applications: 4D or Build4D does it instead with build.engine 4d or build4d. */
  assembly?: true;
}

export type Step = BuildStep | UnitStep;

/** A step bound to what it runs for: the whole build, or one unit. */
export interface BoundStep {
  step: Step;
  unit?: BuildUnit;
  skip(plan: ReadonlyBuildPlan): string | false | undefined;
  run(context: BuildContext): Promise<void>;
}

/** Why an assembly step does nothing: another engine assembles the applications. */
export const replacedByEngine = (plan: ReadonlyBuildPlan, step: Step): string | false =>
  step.assembly && plan.config.build.engine !== "native" ? `build.engine is ${plan.config.build.engine}: ${plan.config.build.engine === "4d" ? "4D's BUILD APPLICATION" : "Build4D"} assembles the applications` : false;

export const forBuild = (step: BuildStep): BoundStep => ({ step, skip: (plan) => replacedByEngine(plan, step) || step.skip?.(plan), run: (context) => step.run(context) });

/** The step for `unit`, or undefined when it does not apply to it. */
export function forUnit(step: UnitStep, unit: BuildUnit): BoundStep | undefined {
  if (!step.appliesTo(unit)) return undefined;
  return { step, unit, skip: (plan) => replacedByEngine(plan, step) || step.skip?.(plan, unit), run: (context) => step.run(context, unit) };
}
