import { existsSync, readdirSync, statSync } from "node:fs";
import { copyFile, mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { structureArtifact, type BuildContext } from "../context.js";
import { copyTree, stampDirectories } from "../../files/copy.js";
import { applicationTitle, artifactPath, componentContents } from "../destinations.js";
import type { Platform, TargetName } from "../../manifest/targets.js";
import { appPaths } from "../app/paths.js";
import { BuildError } from "../../messages/errors.js";
import { keepInApplication } from "./structure.js";
import { placeComponentExtras } from "../component-extras.js";
import { staysInside } from "../commit.js";
import type { UnitStep } from "../step.js";
import { anyUnit, isAppUnit, type AppUnit } from "../units.js";

async function copyInto(context: BuildContext, source: string, destination: string): Promise<void> {
  if (!existsSync(source)) return;
  await copyTree(source, destination, { sourceDate: context.sourceDate, boundary: context.plan.packageDir, signal: context.signal });
}

/** The staged structure (.4DZ, or Project folder when not packed), Libraries, and the extra includes. */
async function placeStructure(context: BuildContext, folder: string, target?: TargetName): Promise<void> {
  const { plan } = context;
  const structure = structureArtifact(context, target).path;
  await mkdir(folder, { recursive: true });
  if (structure.endsWith(".4DZ")) await copyFile(structure, path.join(folder, `${plan.config.name}.4DZ`));
  else if (target === "standalone" || target === "server") await copyTree(structure, path.join(folder, "Project"), { sourceDate: context.sourceDate, boundary: plan.packageDir, signal: context.signal, keep: (entry) => keepInApplication(entry.relative) });
  else await copyInto(context, structure, path.join(folder, "Project"));
  await copyInto(context, path.join(plan.packageDir, "Libraries"), path.join(folder, "Libraries"));
  for (const include of plan.config.structure.include) {
    const source = path.resolve(plan.baseDir, include.from);
    const target = path.join(folder, include.to ?? path.basename(source));
    // The schema refuses "..", but Windows also reads "\" as a separator: the place itself must stay inside.
    if (!path.resolve(target).startsWith(path.resolve(folder) + path.sep) || (include.to !== undefined && !staysInside(include.to)))
      throw new BuildError(`structure.include "to: ${include.to}" leaves the folder it is copied into`, "give a relative path inside the target, without ..");
    if (statSync(source).isFile()) {
      await mkdir(path.dirname(target), { recursive: true });
      await copyFile(source, target);
    } else await copyInto(context, source, target);
  }
}

/** cert.pem, key.pem and the web folder where each application expects them (build-outputs.md §17). */
async function placeWebFiles(context: BuildContext, folder: string): Promise<void> {
  const web = context.plan.config.web;
  if (!web) return;
  const from = (p: string) => path.resolve(context.plan.baseDir, p);
  await mkdir(folder, { recursive: true });
  if (web.certificate) await copyFile(from(web.certificate), path.join(folder, "cert.pem"));
  if (web.privateKey) await copyFile(from(web.privateKey), path.join(folder, "key.pem"));
  if (web.folder) await copyInto(context, from(web.folder), path.join(folder, path.basename(web.folder)));
}

/** An application: the structure in its Database folder (not for clients), the project's components and plug-ins, web files. */
async function layOutApplication(context: BuildContext, unit: AppUnit): Promise<void> {
  const { plan } = context;
  const { target, platform } = unit;
  const paths = appPaths(context.out, plan, unit);
  if (target !== "client") {
    await placeStructure(context, paths.structure, target);
    await copyInto(context, path.join(plan.packageDir, "Resources"), path.join(paths.structure, "Resources"));
  }
  if (target === "server") await serverExtras(context, paths.structure, platform);
  if (target === "client") {
    await embedSingleUserApplication(context, paths.structure, platform);
    // Trusted CAs for the server's TLS certificate: Info.plist names the file; its folder is inferred.
    const authorities = plan.config.network.tls?.certificateAuthorities;
    if (authorities) await copyFile(path.resolve(plan.baseDir, authorities), path.join(paths.resources, path.basename(authorities)));
  }
  await copyInto(context, path.join(plan.packageDir, "Components"), paths.components);
  await copyInto(context, path.join(plan.packageDir, "Plugins"), paths.plugins);
  await placeWebFiles(context, paths.webFiles);
  await stampDirectories(paths.root, context.sourceDate);
  context.artifacts.push({ kind: "target", target, platform, path: paths.root });
  // On macOS the web files sit beside the package, outside it: they are an output of their own.
  if (platform === "mac" && plan.config.web) {
    for (const name of webFileNames(plan)) context.artifacts.push({ kind: "target", target, platform, path: path.join(paths.webFiles, name) });
  }
}

/**
 * Server options that change its structure folder: the project's users and groups (Settings/directory.json,
 * read-only; its place in the server is inferred), and on Windows the structure compiled on macOS for both
 * architectures, so that Apple Silicon clients can connect (build-outputs.md §5.1, as Build4D does).
 */
async function serverExtras(context: BuildContext, structure: string, platform: Platform): Promise<void> {
  const { plan } = context;
  const server = plan.config.targets.server;
  if (server?.embedUsersAndGroups) {
    const directory = path.join(plan.packageDir, "Settings", "directory.json");
    if (!existsSync(directory)) throw new BuildError("targets.server.embedUsersAndGroups is true but the project has no Settings/directory.json", "define users and groups in 4D first, or remove embedUsersAndGroups");
    await mkdir(path.join(structure, "Settings"), { recursive: true });
    await copyFile(directory, path.join(structure, "Settings", "directory.json"));
  }
  const macCompiled = server?.appleSiliconClients;
  if (platform === "win" && macCompiled && macCompiled.enabled !== false && macCompiled.compiledStructure) {
    const folder = path.resolve(plan.baseDir, macCompiled.compiledStructure);
    const structureFile = path.join(folder, `${plan.config.name}.4DZ`);
    const library = path.join(folder, "Libraries", "lib4d-arm64.dylib");
    if (!existsSync(structureFile) || !existsSync(library)) throw new BuildError(`targets.server.appleSiliconClients.compiledStructure must hold ${plan.config.name}.4DZ and Libraries/lib4d-arm64.dylib, built on macOS for both architectures`, "build the compiled structure on macOS and point at its Compiled Database/<Name> folder");
    await copyFile(structureFile, path.join(structure, `${plan.config.name}.4DZ`));
    await rm(path.join(structure, "Libraries"), { recursive: true, force: true });
    await copyInto(context, path.join(folder, "Libraries"), path.join(structure, "Libraries"));
  }
}

/**
 * A client that embeds a compiled single-user application (DatabaseToEmbedInClient…, build-outputs.md §5.4):
 * the whole folder copied into the client's Database folder, its structure files renamed after the client.
 */
async function embedSingleUserApplication(context: BuildContext, database: string, platform: Platform): Promise<void> {
  const { plan } = context;
  const embedded = plan.config.targets.client?.embeddedApplication?.[platform];
  if (!embedded) return;
  const folder = path.resolve(plan.baseDir, embedded);
  const structures = readdirSync(folder).filter((name) => STRUCTURE_FILE.test(name));
  if (structures.length === 0) throw new BuildError(`targets.client.embeddedApplication.${platform} holds no compiled structure (.4DZ or .4DC)`, "point it at the folder of a compiled single-user application, e.g. the Compiled Database/<Name> folder of another build");
  await copyTree(folder, database, { sourceDate: context.sourceDate, boundary: folder, signal: context.signal });
  const title = applicationTitle(plan, "client");
  for (const name of readdirSync(database).filter((n) => RENAMED_AFTER_CLIENT.test(n))) await rename(path.join(database, name), path.join(database, `${title}${path.extname(name)}`));
}

const STRUCTURE_FILE = /\.4D[ZC]$/i;
const RENAMED_AFTER_CLIENT = /\.(4DZ|4DC|4DIndy)$/i;

const webFileNames = (plan: BuildContext["plan"]): string[] => {
  const web = plan.config.web;
  return [web?.certificate ? "cert.pem" : undefined, web?.privateKey ? "key.pem" : undefined, web?.folder ? path.basename(web.folder) : undefined].filter((n): n is string => n !== undefined);
};

export const layoutStep: UnitStep = {
  name: "layout",
  title: "lay out the target's folder",
  scope: "unit",
  assembly: true,
  appliesTo: anyUnit,
  async run(context, unit) {
    const { plan } = context;
    if (isAppUnit(unit)) return layOutApplication(context, unit);
    const root = path.join(context.out, artifactPath(plan, unit));
    if (unit.target === "compiled") {
      await placeStructure(context, root);
      if (plan.config.targets.compiled?.associatedFolders) {
        for (const name of ["Components", "Plugins", "Resources"]) await copyInto(context, path.join(plan.packageDir, name), path.join(root, name));
      }
    } else {
      const contents = componentContents(context.out, plan);
      await placeStructure(context, contents);
      await copyInto(context, path.join(plan.packageDir, "Resources"), path.join(contents, "Resources"));
      await placeComponentExtras(context, contents);
    }
    await stampDirectories(root, context.sourceDate);
    context.artifacts.push({ kind: "target", target: unit.target, path: root });
  },
};
