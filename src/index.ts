/** The 4dbuild library: the CLI and the GitHub Action are thin shells over these functions. */
export { loadManifest, loadManifestText, type LoadOptions, type LoadResult } from "./manifest/load.js";
export type { BuildPlan, ReadonlyBuildPlan, AppTargetPlan, Platform, AppTarget, LicensesMode, DataLinking } from "./manifest/plan.js";
export type { Manifest } from "./manifest/manifest.generated.js";
export { manifestSchema } from "./manifest/schema.generated.js";
export { manifestReferenceMarkdown } from "./manifest/reference.js";
export { formatDiagnostics, hasErrors, type Diagnostic, type OutputFormat, type Severity } from "./diagnostics.js";
export { ExitCode, InvalidInputError, UsageError, exitCodeFor } from "./errors.js";
export { Redactor } from "./secrets.js";
export { parseFourDVersion, type FourDVersion } from "./four-d-version.js";
