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
  run: (context: BuildContext, unit?: BuildUnit) => Promise<void>;
}

export { BuildError } from "../messages/errors.js";
