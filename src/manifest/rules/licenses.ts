import { atLeast, isRRelease } from "../../four-d/version.js";
import { chooseLicenseIndex, classifyLicenseName, DEVELOPMENT_PRODUCTS, fileName, PRODUCT_CODES } from "../../four-d/license-names.js";
import { defaultLicenseEmbed } from "../plan.js";
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
  const embed = licenses.embed ?? defaultLicenseEmbed(manifest["4dVersion"]);
  if (licenses.runner !== undefined && mode !== "automatic" && mode !== "evaluation" && !(mode === "files" && embed === "create"))
    report("warning", "unused-setting", ["licenses", "runner"], "runner is only used with mode: automatic, mode: evaluation or embed: create", "remove it, or choose one of those");
  if (mode === "files") {
    checkDeploymentLicences(manifest, files, report, scope);
    explainLicences(manifest, files, embed, report, scope);
  }
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


/**
 * Each platform a stand-alone or server application of the scope is built for needs a deployment licence among
 * that platform's files (a file whose code is unknown counts as one: names are hints, not guarantees).
 */
function checkDeploymentLicences(manifest: RuleContext["manifest"], files: { file: string; at: (string | number)[] }[], report: RuleContext["report"], scope: RuleContext["scope"]): void {
  for (const target of ["standalone", "server"] as const) {
    if (!enabledTarget(manifest, target)) continue;
    for (const platform of targetPlatforms(manifest, target).filter((p) => selects(scope, target, p))) {
      const own = files.filter((f) => f.at[2] === platform && typeof f.file === "string");
      if (own.some((f) => !DEVELOPMENT_PRODUCTS.has(classifyLicenseName(fileName(f.file)).product ?? ""))) continue;
      const at = manifest.licenses?.files?.[platform] ? ["licenses", "files", platform] : ["licenses", "files"];
      report("error", "no-deployment-license", at, `targets.${target} builds for ${platform}, but licenses.files.${platform} holds no deployment licence`, `add the ${platform === "mac" ? "macOS" : "Windows"} deployment licence (4UUD, 4UOE, 4UOS… in its file name), or set licenses.mode: none`, "key");
    }
  }
}

/**
 * Which licence each licensed application gets, as notices at the licence's list entry (never its file name,
 * which holds the licence number): the one whose product code fits the target, generated through 4D (create)
 * or copied. From 4D 20, a copy is a warning: 4D makes a new licence for each application at each build.
 */
function explainLicences(manifest: RuleContext["manifest"], files: { file: string; at: (string | number)[] }[], embed: "copy" | "create", report: RuleContext["report"], scope: RuleContext["scope"]): void {
  const major = Number(/^\d+/.exec(String(manifest["4dVersion"] ?? ""))?.[0] ?? NaN);
  const embedded = (manifest.targets?.client?.embeddedApplication ?? {}) as Record<string, string | undefined>;
  for (const target of ["standalone", "server", "client"] as const) {
    if (!enabledTarget(manifest, target)) continue;
    for (const platform of targetPlatforms(manifest, target).filter((p) => selects(scope, target, p))) {
      // A client is licensed only when it embeds a single-user application (licensed as a stand-alone).
      if (target === "client" && !embedded[platform]) continue;
      const own = files.filter((f) => f.at[2] === platform && typeof f.file === "string");
      const index = chooseLicenseIndex(own.map((f) => f.file), target === "server" ? "server" : "standalone");
      if (index === undefined) continue;
      const chosen = own[index]!;
      const product = classifyLicenseName(fileName(chosen.file)).product;
      const kind = product ? `${product}, ${PRODUCT_CODES[product]}` : "no known product code";
      const how = embed === "create" ? "4D's Create deployment license generates the application's licence from" : "Licenses/1.license4D is a copy of";
      report("notice", "license-choice", chosen.at, `targets.${target} (${platform}): ${how} licenses.files.${platform}[${chosen.at[3]}] (${kind})`);
    }
  }
  if (embed === "copy" && major >= 20) {
    const at = manifest.licenses?.embed !== undefined ? ["licenses", "embed"] : ["licenses", "files"];
    report("warning", "license-copied", at, `licenses.embed: copy embeds a licence file as is, but 4D ${manifest["4dVersion"]} generates a new licence for each application at each build (Create deployment license)`, "remove embed (create is the default from 4D 20) and give licenses.runner a licensed tool4d or 4D", "key");
  }
}
