import { mkdir } from "node:fs/promises";
import path from "node:path";
import { LAYOUT } from "../destinations.js";
import type { UnitStep } from "../step.js";
import { unitsOf, type AppUnit } from "../units.js";
import { ARCHIVE, archiveClient } from "./client-update.js";

/**
 * A client's update archive on its own (targets.client.updateArchive; by default when autoUpdate.enabled and no
 * server is built): Client Server executable/Upgrade4DClient/update.<platform>.4darchive, where 4D's builder puts it
 * (developer.4d.com/docs/21-R2/Desktop/building#copy-of-client-applications-inside-the-server-application), made
 * after signing as Build4D's Client.buildArchive() zips the built client without its folder. A server built on the
 * other platform embeds it through autoUpdate.otherPlatformClient.<platform>.source.
 */
export const clientArchiveStep: UnitStep<AppUnit<"client">> = {
  name: "client-archive",
  title: "write the client's update archive (.4darchive)",
  scope: "unit",
  appliesTo: unitsOf("client"),
  skip: (plan) => (plan.config.targets.client?.updateArchive ? false : "targets.client.updateArchive is false (a server built here embeds the clients itself)"),
  async run(context, unit) {
    const folder = path.join(context.out, LAYOUT.clientServerFolder, "Upgrade4DClient");
    await mkdir(folder, { recursive: true });
    const output = path.join(folder, ARCHIVE[unit.platform]);
    await archiveClient(context, unit.platform, output);
    context.artifacts.push({ kind: "target", target: "client", platform: unit.platform, path: output });
  },
};
