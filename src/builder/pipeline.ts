import { forBuild, forUnit, type BoundStep, type Step } from "./step.js";
import type { BuildUnit } from "./units.js";
import { compileStep } from "./steps/compile.js";
import { componentsStep, dependenciesStep } from "./steps/components.js";
import { engineStep } from "./steps/engine.js";
import { componentPlistStep } from "./steps/component-plist.js";
import { dataStep, licensesStep, linkStep } from "./steps/app-files.js";
import { archiveStep } from "./steps/archive.js";
import { appPathsStep } from "./steps/app-paths.js";
import { clientUpdateStep } from "./steps/client-update.js";
import { clientArchiveStep } from "./steps/client-archive.js";
import { exclusionsStep } from "./steps/exclusions.js";
import { iconStep } from "./steps/icon.js";
import { pluginKeysStep } from "./steps/plugin-keys.js";
import { layoutStep } from "./steps/target-folder.js";
import { metadataStep } from "./steps/metadata.js";
import { packStep } from "./steps/pack.js";
import { provisionStep } from "./steps/provision.js";
import { checksumsStep, reportStep } from "./steps/report.js";
import { signChecksumsStep } from "./steps/sign-checksums.js";
import { runtimeStep } from "./steps/runtime.js";
import { serverSettingsStep } from "./steps/server-settings.js";
import { signStep } from "./steps/sign.js";
import { unsignedStep } from "./steps/unsigned.js";
import { structureStep } from "./steps/structure.js";

/** What a build does, in order: `4dbuild plan` prints this list and `4dbuild build` runs it. */
export const PIPELINE: readonly Step[] = [
  // Download or unpack tool4d (compile.tool4d: auto) and runtimes given as archives or URLs, into the cache.
  provisionStep,
  // Find the components the applications embed: 4D's own (up to 20.x) and the dependencies; download GitHub ones.
  dependenciesStep,
  // Compile the project with tool4d, when asked to.
  compileStep,
  // build.engine 4d / build4d: 4D's BUILD APPLICATION or Build4D assembles the units; the assembly steps below are then skipped.
  engineStep,
  // Copy Project/ to staging and strip sources (*.4dm, Methods/, Classes/, and the strip policy).
  structureStep,
  // Zip the stripped project into <name>.4DZ.
  packStep,
  // The server's own structure, with the settings.4DSettings edits of targets.server.settings.
  serverSettingsStep,
  // Merge with the 4D runtime: copy it and rename the executable and resources.
  runtimeStep,
  // Lay out the target's folder: structure, Libraries, Resources, associated folders, includes, web files.
  layoutStep,
  // Stand-alone and server: 4D's components and the dependencies in Components.
  componentsStep,
  // Info.plist of a component (4D 20 R8 and later).
  componentPlistStep,
  // Info.plist keys, Mach-O UUIDs (macOS) or version resources and Updater privileges (Windows).
  metadataStep,
  // Custom icon.
  iconStep,
  // Remove excluded modules, plug-ins and components.
  exclusionsStep,
  // Files added and removed anywhere inside an application (targets.<application>.files).
  appPathsStep,
  // Embed deployment licences.
  licensesStep,
  // Default data folder beside the structure.
  dataStep,
  // Plug-in end-user key files beside the application.
  pluginKeysStep,
  // Client connection file.
  linkStep,
  // Client update archives inside the server.
  clientUpdateStep,
  // Code signing: macOS on macOS hosts, Windows through the configured command.
  signStep,
  // Mark macOS code the build could not sign (another host): report, warning, verify.
  unsignedStep,
  // A client's update archive on its own, for a server built on the other platform.
  clientArchiveStep,
  // Distributable archive of an application.
  archiveStep,
  // SHA256SUMS over every output, after signing and archives.
  checksumsStep,
  // SHA256SUMS.p7s (and one signature per archive), made with signing.certificate.
  signChecksumsStep,
  // build-report.json and BuildApp.log.xml next to the outputs.
  reportStep,
];

const FIRST_UNIT_STEP = PIPELINE.findIndex((s) => s.scope === "unit");

/** The build steps that run before the units, in order. */
export const leadingSteps = (): BoundStep[] => PIPELINE.slice(0, FIRST_UNIT_STEP).flatMap((s) => (s.scope === "build" ? [forBuild(s)] : []));

/** The unit steps that apply to `unit`, in order. */
export const unitSteps = (unit: BuildUnit): BoundStep[] => PIPELINE.flatMap((s) => (s.scope === "unit" ? [forUnit(s, unit)].filter((b): b is BoundStep => b !== undefined) : []));

/** The build steps that run after every unit (checksums, signatures, report). */
export const trailingSteps = (): BoundStep[] => PIPELINE.slice(FIRST_UNIT_STEP).flatMap((s) => (s.scope === "build" ? [forBuild(s)] : []));
