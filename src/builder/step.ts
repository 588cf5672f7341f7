import type { ReadonlyBuildPlan } from "../manifest/plan.js";
import type { BuildContext } from "./context.js";
import type { BuildUnit } from "./pipeline.js";

/**
 * One step of a build. `skip` says when and why it does nothing (also printed by `4dbuild plan`); `run`
 * does the work. Steps of scope "unit" run once per target × platform they apply to.
 */
export interface Step {
  name: string;
  title: string;
  scope: "build" | "unit";
  appliesTo?: (unit: BuildUnit) => boolean;
  skip?: (plan: ReadonlyBuildPlan, unit?: BuildUnit) => string | false;
  /** Absent for steps this version of 4dbuild does not perform yet: units needing them are not built. */
  run?: (context: BuildContext, unit?: BuildUnit) => Promise<void>;
  /** The units `run` can build (default: all it applies to). */
  implementedFor?: (unit: BuildUnit) => boolean;
}

/** Whether this version of 4dbuild performs `step` for `unit`. */
export const performs = (step: Step, unit?: BuildUnit): boolean => step.run !== undefined && (!unit || (step.implementedFor?.(unit) ?? true));

export { BuildError } from "../errors.js";
