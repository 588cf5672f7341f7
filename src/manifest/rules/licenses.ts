import { atLeast, isRRelease } from "../../four-d/version.js";
import { classifyLicenseName, fileName } from "../../four-d/license-names.js";
import { selects } from "../scope.js";
import { enabledTarget, PLATFORMS, targetPlatforms } from "../targets.js";
import type { Rule, RuleContext } from "./context.js";

const MODE_SINCE = { evaluation: "20 R8", automatic: "20 R10" } as const;

/**
 * Licence files must fit the 4D version: R-releases need "R-" licences, the version code must match.
 * Messages name the list entry, never the file: licence file names contain the licence number.
 */
export const checkLicenses: Rule = ({ manifest, fourD, report, scope }) => {
  const licenses = manifest.licenses;
  if (!licenses) return;
  const files = PLATFORMS.flatMap((p) => (licenses.files?.[p] ?? []).map((file, i) => ({ file, at: ["licenses", "files", p, i] })));
  const mode = licenses.mode ?? (files.length ? "files" : "none");

  if (mode === "files" && files.length === 0) report("error", "missing-licenses", ["licenses", "mode"], "licenses.mode is files but no licence file is listed", "list them under licenses.files.mac / licenses.files.win");
  if (mode !== "files" && files.length > 0) report("error", "unused-licenses", ["licenses", "files"], `licence files are listed but licenses.mode is ${mode}`, "remove the files or set mode: files", "key");
  if (licenses.evaluationName !== undefined && mode !== "evaluation") report("warning", "unused-setting", ["licenses", "evaluationName"], "evaluationName is only used with mode: evaluation");
  if (licenses.embed !== undefined && mode !== "files") report("warning", "unused-setting", ["licenses", "embed"], `embed is only used with mode: files, not ${mode}`);
  if (licenses.runner !== undefined && mode !== "automatic" && mode !== "evaluation" && !(mode === "files" && licenses.embed === "create"))
    report("warning", "unused-setting", ["licenses", "runner"], "runner is only used with mode: automatic, mode: evaluation or embed: create", "remove it, or choose one of those");
  if (mode === "files") checkDeploymentLicences(manifest, files, report, scope);
  if (!fourD) return;
  if ((mode === "evaluation" || mode === "automatic") && !atLeast(fourD, MODE_SINCE[mode]))
    report("error", "newer-than-4d", ["licenses", "mode"], `licenses.mode ${mode} needs 4D ${MODE_SINCE[mode]} or later, not ${fourD.text}`);

  for (const { file, at } of files) {
    if (typeof file !== "string") continue;
    const name = classifyLicenseName(fileName(file));
    const where = `licenses.files.${at[2]}[${at[3]}]`;
    if (isRRelease(fourD) && !name.rRelease)
      report("error", "not-r-license", at, `${where} is not an R- licence, but 4D ${fourD.text} is an R-release`, "R-releases need dedicated R- licences (their file names start with R-); download them from your 4D account");
    if (!isRRelease(fourD) && name.rRelease)
      report("warning", "r-license-for-lts", at, `${where} is an R- licence, but 4D ${fourD.text} is not an R-release`, "LTS versions use licences without the R- prefix");
    if (name.major !== undefined && name.major !== fourD.major)
      report("error", "license-version", at, `${where} is a licence for 4D ${name.major}, not for 4D ${fourD.major}`, `use the licence files of 4D ${fourD.major}`);
  }
};

/** Product codes of development licences: they let 4D build, they are not embedded (licenses-and-ci.md §1.2). */
export const DEVELOPMENT_LICENCES = new Set(["4DDP", "4DTD", "4DOE", "4DOT", "PNDP"]);

/**
 * Each platform a stand-alone or server application of the scope is built for needs a deployment licence among
 * that platform's files (a file whose code is unknown counts as one: names are hints, not guarantees).
 */
function checkDeploymentLicences(manifest: RuleContext["manifest"], files: { file: string; at: (string | number)[] }[], report: RuleContext["report"], scope: RuleContext["scope"]): void {
  for (const target of ["standalone", "server"] as const) {
    if (!enabledTarget(manifest, target)) continue;
    for (const platform of targetPlatforms(manifest, target).filter((p) => selects(scope, target, p))) {
      const own = files.filter((f) => f.at[2] === platform && typeof f.file === "string");
      if (own.some((f) => !DEVELOPMENT_LICENCES.has(classifyLicenseName(fileName(f.file)).product ?? ""))) continue;
      const at = manifest.licenses?.files?.[platform] ? ["licenses", "files", platform] : ["licenses", "files"];
      report("error", "no-deployment-license", at, `targets.${target} builds for ${platform}, but licenses.files.${platform} holds no deployment licence`, `add the ${platform === "mac" ? "macOS" : "Windows"} deployment licence (4UUD, 4UOE, 4UOS… in its file name), or set licenses.mode: none`, "key");
    }
  }
}
