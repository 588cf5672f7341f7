/** The 4dbuild library: the CLI and the GitHub Action are thin shells over these functions. */
export { loadManifest, loadManifestText, type LoadOptions, type LoadResult } from "./manifest/load.js";
export type { BuildPlan, ReadonlyBuildPlan, AppTargetPlan, Platform, AppTarget, LicensesMode, DataLinking } from "./manifest/plan.js";
export type { Manifest } from "./manifest/manifest.generated.js";
export { manifestSchema } from "./manifest/schema.generated.js";
export { manifestReferenceMarkdown } from "./manifest/reference.js";
export { formatDiagnostics, hasErrors, type Diagnostic, type OutputFormat, type Severity } from "./messages/diagnostics.js";
export { BuildError, ExitCode, InterruptedError, InvalidInputError, UsageError, UserError, exitCodeFor } from "./messages/errors.js";
export { Redactor } from "./messages/redactor.js";
export { parseFourDVersion, type FourDVersion } from "./four-d/version.js";
export { generateSettings, type GenerateInput, type GenerateOptions } from "./generator/generate.js";
export { importSettings, type ImportOptions, type ImportResult } from "./generator/import.js";
export { parseSettings, readSettingsFile, serializeSettings, type SettingsDocument } from "./generator/settings-xml.js";
export { planBuild, type PlannedBuild } from "./builder/plan-print.js";
export { runBuild, type BuildOptions, type BuildResult } from "./builder/build.js";
export { createLogger, type BuildLogger, type LogFormat } from "./builder/logger.js";
export { diffPlans, type ManifestDiff } from "./diff/compare.js";
export { renderDiff, type DiffFormat } from "./diff/render.js";
