import { randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { chooseLicenseIndex, classifyLicenseName, fileName, OEM_KEYS, type LicensedTarget } from "../../four-d/license-names.js";
import type { ReadonlyBuildPlan } from "../../manifest/plan.js";
import type { Platform } from "../../manifest/targets.js";
import type { BuildContext } from "../context.js";
import { BuildError } from "../../messages/errors.js";
import { findTool4d, runFourDMethod } from "../../toolchain/tool4d.js";

/** Create deployment license's autoLicenseTarget: 4D Volume Desktop = 1, 4D Server = 5 (build-outputs.md §14.1). */
const AUTO_TARGET = { standalone: 1, server: 5 } as const;

export interface LicenseChoice {
  license: string;
  oemLicense?: string;
}

/**
 * The licence an application gets (Create deployment license, or the copy): the one of the platform's files
 * whose product code fits the target (chooseLicenseIndex); the OEM XML keys licence goes with an OEM server.
 * Which licence 4D itself prefers among several is documented for automatic licences only (inferred here).
 */
export function chooseDeploymentLicense(plan: ReadonlyBuildPlan, target: LicensedTarget, platform: Platform): LicenseChoice {
  const files = plan.config.licenses.files?.[platform] ?? [];
  const chosen = chooseLicenseIndex(files, target);
  if (chosen === undefined)
    throw new BuildError(`licenses.files.${platform} holds no deployment licence for the ${target === "server" ? "server" : "stand-alone application"}`, target === "server" ? "add the 4D Server deployment licence (4UOS, 4USE in its file name)" : "add the stand-alone deployment licence (4UUD, 4UOE in its file name)");
  const oem = target === "server" && plan.config.licenses.oem?.clientServer ? files.find((f) => classifyLicenseName(fileName(f)).product === OEM_KEYS) : undefined;
  return { license: path.resolve(plan.baseDir, files[chosen]!), ...(oem ? { oemLicense: path.resolve(plan.baseDir, oem) } : {}) };
}

interface MethodResult {
  success?: boolean;
  file?: string;
  statusText?: string;
  licenseNumber?: string;
  errors?: { message?: string; errCode?: number }[];
}

/** The executable that runs 4D's licence commands: licenses.runner, else compile.tool4d (auto: the downloaded one), else TOOL4D. */
function licenseRunner(context: BuildContext): string {
  const { plan } = context;
  const configured = plan.config.licenses.runner ?? plan.config.compile.tool4d;
  const chosen = plan.config.licenses.mode === "files" ? "licenses.embed: create" : `licenses.mode ${plan.config.licenses.mode}`;
  return findTool4d(configured, context.env, plan.fourD, plan.baseDir, { purpose: `${chosen} runs 4D's licence commands`, setting: "licenses.runner" }, context.provisioned.tool4d);
}

/**
 * Runs the deployment_license method and reads its result. 4D's output is kept back unless the command fails,
 * and then passes through the redactor with the licence file names added: they contain licence numbers.
 */
async function runLicenseMethod(context: BuildContext, request: Record<string, unknown>, what: string): Promise<MethodResult> {
  const name = `license-${randomUUID()}`;
  const result = path.join(context.work, `${name}.json`);
  const errorFlag = path.join(context.work, `${name}.failed`);
  for (const file of [request.license, request.oemLicense]) if (typeof file === "string") context.redactor.add(path.basename(file, ".license4D"));
  const output: string[] = [];
  const run = await runFourDMethod(context, licenseRunner(context), "deployment_license", { ...request, result, errorFlag }, (line) => output.push(line));
  const shown = output.length ? `; 4D said:\n${output.map((l) => `  ${l}`).join("\n")}` : "";
  if (!existsSync(result)) throw new BuildError(`${what}: 4D ended (exit code ${run.exitCode}) without a result${shown}`, "check that licenses.runner is a 4D or tool4d of 4dVersion whose Licenses folder holds your developer licence");
  const parsed = JSON.parse(readFileSync(result, "utf8")) as MethodResult;
  if (!parsed.success || existsSync(errorFlag)) {
    const reasons = [parsed.statusText, ...(parsed.errors ?? []).map((e) => `${e.message ?? "error"}${e.errCode !== undefined ? ` (${e.errCode})` : ""}`)].filter(Boolean);
    throw new BuildError(`${what} failed${reasons.length ? `: ${reasons.join("; ")}` : ""}${shown}`, "check the licence files and that the runner's Licenses folder holds a valid developer licence for this 4D version");
  }
  return parsed;
}

/** Create deployment license on a built application: from the chosen file, or (automatic) from the runner's licences. */
export async function createDeploymentLicense(context: BuildContext, application: { root: string; licenses: string }, target: LicensedTarget, platform: Platform): Promise<void> {
  const request =
    context.plan.config.licenses.mode === "automatic"
      ? { action: "automatic", application: application.root, target: AUTO_TARGET[target] }
      : { action: "create", application: application.root, ...chooseDeploymentLicense(context.plan, target, platform) };
  const result = await runLicenseMethod(context, request, `Create deployment license for ${target} ${platform}`);
  const created = result.file ? path.resolve(result.file) : undefined;
  if (!created || !existsSync(created) || path.dirname(created) !== path.resolve(application.licenses))
    throw new BuildError(`Create deployment license for ${target} ${platform} reported success but left no licence file in the application's Licenses folder`, "check that licenses.runner is the same 4D version as the runtimes");
}

const evaluationKeys = new WeakMap<BuildContext, Promise<string>>();

/** The evaluation key: the runner's licence number (License info), asked once per build. */
export function evaluationKey(context: BuildContext): Promise<string> {
  const known = evaluationKeys.get(context);
  if (known) return known;
  const asked = askEvaluationKey(context);
  evaluationKeys.set(context, asked);
  return asked;
}

async function askEvaluationKey(context: BuildContext): Promise<string> {
  const { licenseNumber } = await runLicenseMethod(context, { action: "info" }, "License info");
  if (!licenseNumber) throw new BuildError("License info returned no licence number for the evaluation key", "licenses.runner must run with your developer licence installed");
  context.redactor.add(licenseNumber);
  return licenseNumber;
}
