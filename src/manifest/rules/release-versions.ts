import { displayPath } from "../source.js";
import { APP_TARGETS, enabledTarget, targetPlatforms, type AppTarget } from "../targets.js";
import { isVersionProblem, MAC_BUNDLE_NUMBERS, parseReleaseVersion } from "../versioning.js";
import type { Rule, RuleContext } from "./context.js";

const SUBSETS = ["common", "standalone", "server", "client"] as const;
type Subset = (typeof SUBSETS)[number];

/** Whether a macOS Info.plist gets this subset's version: a macOS application of its target(s), or the component (common). */
function reachesInfoPlist(context: RuleContext, subset: Subset): boolean {
  const { manifest } = context;
  const macApp = (target: AppTarget) => enabledTarget(manifest, target) && targetPlatforms(manifest, target).includes("mac");
  if (subset !== "common") return macApp(subset);
  return APP_TARGETS.some((target) => manifest.versioning?.[target]?.version === undefined && macApp(target)) || enabledTarget(manifest, "component");
}

/**
 * Every version written into the applications is one each platform can hold (versioning.ts): numbers Windows
 * cannot represent, and four numbers where a macOS CFBundleVersion gets them, are located errors. Configuration
 * mistakes: checked whatever the scope.
 */
export const checkReleaseVersions: Rule = (context) => {
  const { manifest, report, invalid } = context;
  for (const subset of SUBSETS) {
    const at = ["versioning", subset, "version"];
    const value = manifest.versioning?.[subset]?.version;
    if (typeof value !== "string" || invalid(at)) continue;
    const what = subset === "common" && context.versionInput ? context.versionInput : displayPath(at);
    const parsed = parseReleaseVersion(value);
    if (isVersionProblem(parsed)) {
      report("error", "bad-version", at, `${what} "${value}" ${parsed.problem}`, parsed.hint);
      continue;
    }
    if (parsed.numbers.length > MAC_BUNDLE_NUMBERS && reachesInfoPlist(context, subset))
      report("error", "bad-version", at, `${what} "${value}" has ${parsed.numbers.length} numbers: macOS CFBundleVersion holds at most ${MAC_BUNDLE_NUMBERS}`, `use three numbers (${parsed.numbers.slice(0, MAC_BUNDLE_NUMBERS).join(".")}) and put a build number in the pre-release or build metadata (-… or +…)`);
  }
};
