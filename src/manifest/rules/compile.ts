import { existsSync } from "node:fs";
import path from "node:path";
import { compiledCode, defaultCompileTargets, staleness } from "../../four-d/compiled-code.js";
import { projectComponents } from "../../four-d/components.js";
import { APP_TARGETS, enabledTarget, targetPlatforms, type AppTarget } from "../targets.js";
import type { Rule, RuleContext } from "./context.js";

const HOST_NAME: Partial<Record<NodeJS.Platform, string>> = { darwin: "macOS", win32: "Windows", linux: "Linux" };
const hostName = (host: NodeJS.Platform) => HOST_NAME[host] ?? host;
const ENABLED = ["compile", "enabled"];

/** The package folder (holding Project/) of the manifest's project, when it exists on disk. */
function packageDirOf({ manifest, baseDir }: RuleContext): string | undefined {
  if (typeof manifest.project !== "string") return undefined;
  const projectFile = path.resolve(baseDir, manifest.project);
  return existsSync(projectFile) ? path.dirname(path.dirname(projectFile)) : undefined;
}

/** Application targets built for Windows: they run Intel code only. */
function windowsApps(context: RuleContext): AppTarget[] {
  return APP_TARGETS.filter((t) => enabledTarget(context.manifest, t) && targetPlatforms(context.manifest, t).includes("win"));
}

const anyTarget = (context: RuleContext) => (["compiled", "component", ...APP_TARGETS] as const).some((t) => enabledTarget(context.manifest, t));

/**
 * What the build host can compile: arm64 only on macOS; Windows applications need x86_64 code. Components the
 * project uses but 4dbuild cannot find are worth a warning: the compiler would not know their methods.
 */
export const checkCompile: Rule = (context) => {
  const { manifest, report, host } = context;
  const compile = manifest.compile;
  if (compile?.enabled !== true || !context.checkProject) return;
  const targets = compile.targets ?? defaultCompileTargets(host);
  const arm = compile.targets?.indexOf("arm64") ?? -1;
  if (arm >= 0 && host !== "darwin")
    report(
      "error",
      "arm64-needs-macos",
      ["compile", "targets", arm],
      `compile.targets asks for arm64 (Apple Silicon code), which 4D compiles only on macOS; this build runs on ${hostName(host)}`,
      "build on a macOS runner (4dbuild matrix sends builds that compile arm64 to macos-latest), or remove arm64: the default is x86_64 everywhere, x86_64 and arm64 on macOS",
    );
  const windows = windowsApps(context);
  if (compile.targets && targets.length > 0 && !targets.includes("x86_64") && windows.length > 0)
    report("error", "windows-needs-x86_64", ["compile", "targets"], `targets.${windows[0]} builds for Windows, which runs Intel code, but compile.targets has no x86_64`, "add x86_64 to compile.targets");

  const packageDir = packageDirOf(context);
  if (!packageDir) return;
  for (const component of projectComponents(packageDir, context.baseDir, compile)) {
    if (component.origin === "compile.components") continue; // a missing file there is reported at its own line
    if (component.status === "missing")
      report("warning", "component-not-found", ENABLED, `the project uses the component ${component.name} (${component.origin}${component.github ? ` ${component.github}` : ""}), but it is not at ${component.where}`, component.github ? "open the project once in 4D or tool4d so that it downloads its dependencies, or set compile.dependencyCache to the folder that holds them" : "put the compiled component there, or list its .4DZ in compile.components");
    if (component.status === "interpreted")
      report("warning", "component-interpreted", ENABLED, `the component ${component.name} (${component.origin}) is a source project at ${component.where}: Compile project only uses compiled components`, "build the component (a .4DZ) and use that, or list one in compile.components");
  }
};

/**
 * Without compilation the project's compiled code is built as it is: it must exist, hold Intel code for Windows
 * applications, and is worth a warning when its sources changed since it was compiled.
 */
export const checkCompiledCode: Rule = (context) => {
  const { manifest, report } = context;
  if (manifest.compile?.enabled === true || !context.checkProject || !anyTarget(context)) return;
  const packageDir = packageDirOf(context);
  if (!packageDir) return;
  const code = compiledCode(packageDir);
  if (!code.intel && !code.appleSilicon) {
    report(
      "error",
      "no-compiled-code",
      ENABLED,
      "compilation is off and the project has no compiled code (neither Project/DerivedData/CompiledCode nor Libraries/lib4d-arm64.dylib): every target is built from compiled code",
      "set compile.enabled: true (tool4d from compile.tool4d or TOOL4D) to compile during the build, or compile in 4D before building; DerivedData/ is usually git-ignored, so a fresh clone has none",
    );
    return;
  }
  if (!code.intel) {
    for (const target of windowsApps(context)) {
      const at = manifest.targets?.[target]?.runtime?.win !== undefined ? ["targets", target, "runtime", "win"] : ["targets", target];
      report("error", "apple-silicon-only", at, `targets.${target} builds a Windows application, but the project holds only Apple Silicon code (Libraries/lib4d-arm64.dylib, no Project/DerivedData/CompiledCode): Windows runs Intel code`, "compile with the x86_64 target: compile.enabled: true, or compile in 4D for Intel before building");
    }
  }
  const stale = staleness(packageDir);
  if (stale.changed.length > 0) {
    const shown = stale.changed.slice(0, 3).join(", ") + (stale.changed.length > 3 ? ` and ${stale.changed.length - 3} more` : "");
    const how = stale.method === "digest" ? "by the digest 4dbuild recorded when it compiled" : "by file dates, as no digest was recorded";
    report("warning", "stale-compiled-code", ENABLED, `the compiled code is older than its sources (${how}): Project/Sources/${shown} changed since`, "compile again (compile.enabled: true, or in 4D) so that the build holds the current code");
  }
};
