import type { CompressionPool } from "../archives/pool.js";
import type { DigestRegistry } from "../files/digests.js";
import type { Diagnostic } from "../messages/diagnostics.js";
import type { Redactor } from "../messages/redactor.js";
import type { ReadonlyBuildPlan } from "../manifest/plan.js";
import type { Platform, TargetName } from "../manifest/targets.js";
import type { BuildReport, ReportedArtifact, ReportedStep } from "../release/report.js";
import type { ComparedBuild } from "../release/compare-engines.js";
import type { CertificateSource, SigningIdentity } from "../signing/certificate.js";
import type { SecretFolder } from "../signing/secret-folder.js";
import type { BuildLogger } from "./logger.js";
import type { BuildUnit } from "./units.js";
import type { EmbeddedComponent } from "./embedded-components.js";

/** Something a step produced. Steps talk to each other only through this registry. */
export interface Artifact {
  /** app-structure: the .4DZ of stand-alone and server applications, when it differs from the structure (no dependencies.json). */
  kind: "structure" | "app-structure" | "target" | "plugin-key" | "signature" | "log";
  /** Absolute path in staging. */
  path: string;
  target?: TargetName;
  platform?: Platform;
  /** plugin-key: the plug-in, and where the file must be installed on a user's machine. */
  plugin?: string;
  installTo?: string;
  /** target: the state of its code signature when the build could not sign it (see steps/unsigned.ts). */
  signature?: string;
}

/** What the provision step put in place, for the steps that run tools and copy runtimes. */
export interface Provisioned {
  /** The tool4d executable downloaded for compile.tool4d: auto. */
  tool4d?: string;
  /** Runtime folders unpacked from archives or downloads, by unit name ("standalone mac"). */
  readonly runtimes: Map<string, string>;
  /** The components the applications embed, each with its package folder (the dependencies step). */
  components?: readonly EmbeddedComponent[];
}

/** What every step gets. Kept small: the plan is read-only; results go to `artifacts`. */
export interface BuildContext {
  readonly plan: ReadonlyBuildPlan;
  readonly logger: BuildLogger;
  /** Private working folder (scratch files). Inside the destination's staging folder: never a secret there. */
  readonly work: string;
  /** Where secret material the tools read from files goes (.p12, keychain): outside the destination, owner-only. */
  readonly secrets: SecretFolder;
  /** Mirror of the destination: what is moved into place when the build succeeds. */
  readonly out: string;
  /** Seconds since 1970 stamped on every output (SOURCE_DATE_EPOCH). */
  readonly sourceDate: number;
  readonly env: NodeJS.ProcessEnv;
  readonly redactor: Redactor;
  readonly signal: AbortSignal;
  /** The units this build makes: the manifest's, narrowed by --target and --platform. */
  readonly units: readonly BuildUnit[];
  /** Filled by the provision step, read by the compile, licence and runtime steps. */
  readonly provisioned: Provisioned;
  readonly artifacts: Artifact[];
  readonly warnings: Diagnostic[];
  readonly records: ReportedStep[];
  /** Every file of every target with its checksum, as SHA256SUMS lists them (filled by the checksums step). */
  readonly reported: ReportedArtifact[];
  /** The build's compressor threads, shared by every archive written (their number is the build's jobs). */
  readonly compressor: CompressionPool;
  /** SHA-256 of files learnt while they were written or read, for the checksums step. */
  readonly digests: DigestRegistry;
  /** build-report.json as written (secrets masked), set by the report step; the build returns it. */
  report?: BuildReport;
  /** build --compare-engines: the native build this one is compared with, in the report. */
  readonly compareWith?: ComparedBuild;
  /** signing.certificate, read and checked before the first step. */
  readonly signing?: { identity: SigningIdentity; source: CertificateSource };
}

/**
 * The staged structure produced by the structure and pack steps. For an application `target`: its own when a step
 * staged one (the server's, with its settings.4DSettings edits), else the applications' one when the pack step made
 * it (without dependencies.json), else the common one.
 */
export function structureArtifact(context: BuildContext, target?: TargetName): Artifact {
  const structures = context.artifacts.filter((a) => a.kind === "structure");
  const own = target ? structures.filter((a) => a.target === target).at(-1) : undefined;
  const forApplications = target === "standalone" || target === "server" ? context.artifacts.filter((a) => a.kind === "app-structure").at(-1) : undefined;
  const found = own ?? forApplications ?? structures.filter((a) => a.target === undefined).at(-1);
  if (!found) throw new Error("no structure was staged before this step");
  return found;
}
