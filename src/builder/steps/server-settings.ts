import { existsSync, readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { structureArtifact } from "../context.js";
import { copyTree } from "../../files/copy.js";
import { walkTree } from "../../files/tree.js";
import { editSettingsXml } from "../../four-d/settings-edit.js";
import { serverSettingsEdits } from "../app/server-settings.js";
import type { BuildStep } from "../step.js";
import { packProject } from "./pack.js";
import { keepInApplication } from "./structure.js";

/**
 * The server's own structure when targets.server.settings asks for edits of settings.4DSettings (Build4D's
 * Server class edits its copy of the project before packing it): the stripped project copied, the file edited
 * (created when absent), packed when the others are. The stand-alone and compiled structures keep the project's.
 */
export const serverSettingsStep: BuildStep = {
  name: "server-settings",
  title: "write the server's settings.4DSettings edits into its own structure",
  scope: "build",
  skip: (plan) => (!plan.targets.server ? "no server is built" : serverSettingsEdits(plan).length === 0 ? "targets.server.settings sets nothing" : false),
  async run(context) {
    const { plan } = context;
    const common = structureArtifact(context).path;
    const stripped = common.endsWith(".4DZ") ? path.join(path.dirname(common), "Project") : common;
    const project = path.join(context.work, "server", "Project");
    await copyTree(stripped, project, { sourceDate: context.sourceDate, boundary: stripped, signal: context.signal, keep: (entry) => keepInApplication(entry.relative) });
    const file = path.join(project, "Sources", "settings.4DSettings");
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, editSettingsXml(existsSync(file) ? readFileSync(file, "utf8") : undefined, serverSettingsEdits(plan)));
    if (!plan.config.structure.pack) {
      context.artifacts.push({ kind: "structure", target: "server", path: project });
      return;
    }
    const packed = path.join(context.work, "server", `${plan.config.name}.4DZ`);
    await packProject(context, await walkTree(project), packed);
    context.artifacts.push({ kind: "structure", target: "server", path: packed });
  },
};
