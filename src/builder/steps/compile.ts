import { existsSync } from "node:fs";
import path from "node:path";
import { repositoryRoot } from "../../files/work-tree.js";
import { writeSourcesRecord } from "../../four-d/compiled-code.js";
import { compilerComponents, projectComponents } from "../../four-d/components.js";
import { BuildError } from "../../messages/errors.js";
import type { BuildStep } from "../step.js";
import { compileOptions, compilerDiagnostics, findTool4d, runFourDMethod, type CompileRequest } from "../../toolchain/tool4d.js";

/**
 * Compiles the project in place with tool4d and 4dbuild's compiler project, as build4d-action does, with every
 * compiled component the project uses (src/four-d/components.ts), then records the digest of the sources.
 */
export const compileStep: BuildStep = {
  name: "compile",
  title: "compile the project with tool4d",
  scope: "build",
  skip: (plan) => (plan.config.compile.enabled ? false : "compile.enabled is false: the project's compiled code is used as it is"),
  async run(context) {
    const { plan } = context;
    const compile = plan.config.compile;
    const tool4d = findTool4d(compile.tool4d, context.env, plan.fourD, plan.baseDir, undefined, context.provisioned.tool4d);
    const plugins = compile.plugins ? path.resolve(plan.baseDir, compile.plugins) : path.join(plan.packageDir, "Plugins");
    const request: CompileRequest = {
      project: plan.projectFile,
      options: compileOptions(compile),
      ...(existsSync(plugins) ? { plugins } : {}),
      components: compilerComponents(projectComponents(plan.packageDir, plan.baseDir, compile)),
      result: path.join(context.work, "compile-result.json"),
      errorFlag: path.join(context.work, "compile-failed"),
    };
    const run = await runFourDMethod(context, tool4d, "compile_project", request, (line) => context.logger.info(`  tool4d: ${line}`));
    if (!existsSync(request.result)) throw new BuildError(`tool4d ended (exit code ${run.exitCode}) without writing the compilation result`, "check that tool4d matches 4dVersion and can open the compiler project; its output is above");
    const { success, diagnostics } = compilerDiagnostics(request.result, repositoryRoot(plan.baseDir));
    for (const d of diagnostics) {
      context.logger.diagnostic(d);
      if (d.severity === "warning") context.warnings.push(d);
    }
    if (!success || existsSync(request.errorFlag)) {
      const errors = diagnostics.filter((d) => d.severity === "error").length;
      throw new BuildError(`compilation failed with ${errors} error${errors === 1 ? "" : "s"}`, "fix the errors above and build again");
    }
    // The compiled code is now these sources': later builds compare them (the stale-compiled-code warning).
    writeSourcesRecord(plan.packageDir, request.options.targets as string[]);
  },
};
