import { randomBytes } from "node:crypto";
import { rename } from "node:fs/promises";
import path from "node:path";
import type { ReadonlyBuildPlan } from "../../manifest/plan.js";
import { packageRoot } from "../../files/package-root.js";
import { p12Buffer } from "../../signing/certificate.js";
import { macSigningPlan, type Command, type MacSigningOptions } from "../../signing/macos.js";
import { notaryVerdict, runCommands } from "../../signing/run-commands.js";
import { appPaths } from "../app/paths.js";
import type { BuildContext } from "../context.js";
import { artifactPath } from "../destinations.js";
import type { UnitStep } from "../step.js";
import { isAppUnit, unitsOf, type AppUnit, type StructureUnit } from "../units.js";
import { walkTree } from "../../files/tree.js";

/** The identity codesign gets: the configured one, else "-" (ad-hoc) unless adHoc is false. */
export function macIdentity(plan: ReadonlyBuildPlan): string | undefined {
  const mac = plan.config.signing.mac;
  if (mac.identity && mac.sign !== false) return mac.identity;
  return mac.adHoc ? "-" : undefined;
}

export function signSkip(plan: ReadonlyBuildPlan, unit: AppUnit | StructureUnit, host: NodeJS.Platform = process.platform): string | false {
  if (isAppUnit(unit) && unit.platform === "win") return plan.config.signing.win ? false : "signing.win is not configured: Windows files stay unsigned";
  if (!macIdentity(plan)) return "signing.mac has no identity and adHoc is false";
  if (host !== "darwin") return `macOS code signing runs on macOS hosts; this build runs on ${host}`;
  return false;
}

/** The p12 file the tools read, written once per build into the build's secret folder (never the destination). */
const p12File = (context: BuildContext): Promise<string> => context.secrets.file("signing.p12", () => p12Buffer(context.signing!.source));

/** The macOS plan for one bundle, from the manifest and the build's temporary folder. */
export async function macPlanFor(context: BuildContext, bundle: string): Promise<Command[]> {
  const { plan } = context;
  const mac = plan.config.signing.mac;
  const identity = macIdentity(plan)!;
  const options: MacSigningOptions = { identity, entitlements: mac.entitlements ? path.resolve(plan.baseDir, mac.entitlements) : path.join(packageRoot(), "templates", "4D.entitlements") };
  if (context.signing && identity !== "-") {
    const password = mac.keychainPassword ?? randomBytes(24).toString("hex");
    context.redactor.add(password);
    options.keychain = { path: path.join(await context.secrets.path(), "4dbuild-signing.keychain-db"), password, p12: await p12File(context), p12Password: context.signing.source.password ?? "" };
  }
  const { notarize } = mac;
  if (notarize.enabled) {
    const zip = path.join(context.work, `${path.basename(bundle)}-notarize.zip`);
    const { timeoutMinutes } = notarize;
    options.notarize = notarize.keychainProfile ? { zip, timeoutMinutes, keychainProfile: notarize.keychainProfile } : { zip, timeoutMinutes, appleId: notarize.appleId!, teamId: notarize.teamId!, password: notarize.password! };
  }
  return macSigningPlan(bundle, options);
}

const globToRegExp = (glob: string) => new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i");

/**
 * Authenticode through the configured command, once per matching file: {file} signed in place, or written
 * to {output} and moved over {file}; {p12} and {password} from signing.certificate; {sourceDate} for tools
 * that can fix the signing time (osslsigncode -time), so signed files stay reproducible.
 */
async function signWindows(context: BuildContext, root: string): Promise<void> {
  const win = context.plan.config.signing!.win!;
  const patterns = (win.files ?? ["*.exe", "*.dll"]).map(globToRegExp);
  const files = (await walkTree(root, root, "keep")).filter((e) => e.kind === "file" && patterns.some((p) => p.test(path.posix.basename(e.relative))));
  const p12 = win.command.some((a) => a.includes("{p12}")) ? await p12File(context) : "";
  const usesOutput = win.command.some((a) => a.includes("{output}"));
  for (const file of files) {
    const output = `${file.absolute}.signed`;
    const args = win.command.map((a) => a.replaceAll("{file}", file.absolute).replaceAll("{output}", output).replaceAll("{p12}", p12).replaceAll("{password}", context.signing?.source.password ?? "").replaceAll("{sourceDate}", String(context.sourceDate)));
    await runCommands([{ program: args[0]!, args: args.slice(1) }], { cwd: context.work, env: context.env, redactor: context.redactor, signal: context.signal, log: (l) => context.logger.info(l) });
    if (usesOutput) await rename(output, file.absolute);
  }
}

/**
 * Code signing, before archives are made (sign → archive → checksums → sign checksums). macOS: the plan of
 * signing/macos.ts, run on macOS hosts only. Windows: the configured command over executables and libraries.
 */
export const signStep: UnitStep<AppUnit | StructureUnit<"component">> = {
  name: "sign",
  title: "sign the code",
  scope: "unit",
  appliesTo: unitsOf("standalone", "server", "client", "component"),
  skip: (plan, unit) => signSkip(plan, unit),
  async run(context, unit) {
    const { plan } = context;
    // A component is signed as macOS code: it is notarized with the applications that load it.
    const platform = isAppUnit(unit) ? unit.platform : "mac";
    const root = isAppUnit(unit) ? appPaths(context.out, plan, unit).root : path.join(context.out, artifactPath(plan, unit));
    if (platform === "win") return signWindows(context, root);
    const commands = await macPlanFor(context, root);
    await runCommands(commands, { cwd: path.dirname(root), env: context.env, redactor: context.redactor, signal: context.signal, log: (l) => context.logger.info(l), judge: notaryVerdict });
  },
};
