import { constants, existsSync } from "node:fs";
import { copyFile, mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { ReadonlyBuildPlan } from "../../manifest/plan.js";
import type { Platform } from "../../manifest/targets.js";
import { appPaths } from "../app/paths.js";
import { publicationName } from "../app/metadata.js";
import type { BuildContext } from "../context.js";
import { walkTree } from "../../files/tree.js";
import { writeZip } from "../../archives/zip.js";
import { BuildError } from "../../messages/errors.js";
import type { UnitStep } from "../step.js";
import { unitsOf, type AppUnit, type BuildUnit } from "../units.js";

export const ARCHIVE = { mac: "update.mac.4darchive", win: "update.win.4darchive" } as const;

/** info.json of Upgrade4DClient as Build4D writes it (build-outputs.md §5.3; all versions are strings). */
function infoJson(plan: ReadonlyBuildPlan, server: Platform, archives: Platform[]): string {
  const m = plan.config;
  const info: Record<string, unknown> = {
    BuildName: plan.config.name,
    BuildIPAddress: m.network.serverAddress ?? "",
    BuildIPPort: String(m.network.port),
    BuildHardLink: m.network.linkCode ?? "",
    BuildRangeVersMin: String(m.autoUpdate.acceptedClientVersions.min),
    BuildRangeVersMax: String(m.autoUpdate.acceptedClientVersions.max),
    BuildCurrentVers: String(m.autoUpdate.currentVersion),
    PublishName: publicationName(plan),
    ServerPlatform: server,
  };
  const signing = m.signing.mac;
  if (signing.identity && signing.sign !== false) Object.assign(info, { MacCertificate: signing.identity, MacSignature: true });
  if (archives.includes("mac")) info.macUpdate = ARCHIVE.mac;
  if (archives.includes("win")) info.winUpdate = ARCHIVE.win;
  return `${JSON.stringify(info, null, 2)}\n`;
}

/** Update archives being made, by build (its list of units) and file in the work folder. */
const made = new WeakMap<readonly BuildUnit[], Map<string, Promise<boolean>>>();

/**
 * A client built in this build, zipped as an update archive: the application's contents, without its folder.
 * Made once in the work folder (both servers hold the same archive), then copied by the kernel into each server.
 */
export async function archiveClient(context: BuildContext, platform: Platform, output: string): Promise<boolean> {
  const client = appPaths(context.out, context.plan, { target: "client", platform }).root;
  const once = path.join(context.work, "client-update", ARCHIVE[platform]);
  const ofBuild = made.get(context.units) ?? new Map<string, Promise<boolean>>();
  made.set(context.units, ofBuild);
  let making = ofBuild.get(once);
  if (!making) {
    making = (async () => {
      if (!existsSync(client)) return false;
      const tree = await walkTree(client, client, "keep");
      await mkdir(path.dirname(once), { recursive: true });
      await writeZip(tree.map((e) => ({ ...e, name: e.relative })), once, { sourceDate: context.sourceDate, signal: context.signal, pool: context.compressor, digests: context.digests });
      return true;
    })();
    ofBuild.set(once, making);
  }
  if (!(await making)) return false;
  await copyFile(once, output, constants.COPYFILE_FICLONE);
  await context.digests.remember(output, await context.digests.sha256(once));
  return true;
}

/**
 * Upgrade4DClient inside the server: one update archive per client platform, from the clients built in this
 * build, or for the other platform from autoUpdate.otherPlatformClient (a .4darchive built there), and info.json.
 */
export const clientUpdateStep: UnitStep<AppUnit<"server">> = {
  name: "client-update",
  title: "add client update archives (Upgrade4DClient)",
  scope: "unit",
  assembly: true,
  appliesTo: unitsOf("server"),
  skip: (plan) => (plan.config.autoUpdate.enabled ? false : "autoUpdate.enabled is false"),
  async run(context, unit) {
    const { plan } = context;
    const server = unit.platform;
    const folder = path.join(appPaths(context.out, plan, unit).contents, "Upgrade4DClient");
    await mkdir(folder, { recursive: true });
    const archives: Platform[] = [];
    for (const platform of ["mac", "win"] as const) {
      const output = path.join(folder, ARCHIVE[platform]);
      const other = plan.config.autoUpdate.otherPlatformClient?.[platform]?.source;
      if (await archiveClient(context, platform, output)) archives.push(platform);
      else if (other && platform !== server) {
        if (!other.toLowerCase().endsWith(".4darchive")) throw new BuildError(`autoUpdate.otherPlatformClient.${platform}.source must be a .4darchive when 4dbuild builds the server`, `4dbuild builds clients for both platforms on any host: for a 4D Volume Desktop folder, add ${platform} to targets.client.platforms with targets.client.runtime.${platform} set to it; else point at a .4darchive built elsewhere`);
        await copyFile(path.resolve(plan.baseDir, other), output);
        archives.push(platform);
      }
    }
    if (archives.length === 0) {
      await rm(folder, { recursive: true, force: true });
      context.warnings.push({ severity: "warning", code: "no-client-update", message: `the ${server} server has no client update archive: no client is built and no otherPlatformClient is given` });
      return;
    }
    await writeFile(path.join(folder, "info.json"), infoJson(plan, server, archives));
  },
};
