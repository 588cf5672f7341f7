/**
 * The 4dbuild library (package.json "exports", bundled into dist/index.js with its types in dist/types/src/): the
 * CLI and the GitHub Action are thin shells over these functions. Each returns data; the shells format it.
 */

// Validate, plan, build, diff, matrix, merge, verify: from manifest files and build folders.
export { validateManifest, openManifest, type ManifestOptions, type Validation, type OpenedManifest } from "./manifest/open.js";
export { planManifest, buildManifest, targetNames, platformNames, type PlanResult, type BuildManifestOptions, type ManifestBuild } from "./builder/from-manifest.js";
export { diffManifests, type DiffSide, type DiffOptions, type DiffResult, type SideReport } from "./diff/manifests.js";
export { planMatrix, buildMatrix, type Matrix, type MatrixEntry } from "./release/matrix.js";
export { mergeBuilds, type MergeBuildsOptions, type MergeResult } from "./release/merge.js";
export { verifyBuild, type VerifyOptions, type VerifyFindings, type VerifyProblem } from "./release/verify.js";
export { readBuildReport, REPORT_FILE, REPORT_VERSION, type BuildReport, type ReportedArtifact, type ReportedTarget, type ReportedPluginKey, type ReportedStep } from "./release/report.js";

// Formatting for people: terminal text, Markdown, workflow annotations.
export { formatDiagnostics, hasErrors, type Diagnostic, type OutputFormat, type Severity } from "./messages/diagnostics.js";
export { renderPlanText } from "./builder/plan-print.js";
export { renderDiff, type DiffFormat, type RenderedDiff } from "./diff/render.js";

// Errors, and what each means as an exit code.
export { BuildError, ExitCode, InterruptedError, InvalidInputError, UsageError, UserError, exitCodeFor } from "./messages/errors.js";
export { Redactor } from "./messages/redactor.js";

// Lower level: manifests as text, plans, settings files.
export { loadManifest, loadManifestText, type LoadOptions, type LoadResult } from "./manifest/load.js";
export type { BuildPlan, ReadonlyBuildPlan, AppTargetPlan, ResolvedConfig } from "./manifest/plan.js";
export type { Platform, AppTarget, TargetName } from "./manifest/targets.js";
export type { Scope } from "./manifest/scope.js";
export type { ResolvedManifest } from "./manifest/resolved.generated.js";
export type { Manifest } from "./manifest/manifest.generated.js";
export { manifestSchema } from "./manifest/schema.generated.js";
export { manifestReferenceMarkdown } from "./manifest/reference.js";
export { parseFourDVersion, type FourDVersion } from "./four-d/version.js";
export { generateSettings, type GenerateInput, type GenerateOptions } from "./generator/generate.js";
export { importSettings, type ImportOptions, type ImportResult } from "./generator/import.js";
export { parseSettings, readSettingsFile, serializeSettings, type SettingsDocument } from "./generator/settings-xml.js";
export { planBuild, type PlannedBuild, type PlannedUnit, type PlannedStepState } from "./builder/plan-print.js";
export { runBuild, type BuildOptions, type BuildResult } from "./builder/build.js";
export { createLogger, type BuildLogger, type LogFormat, type LogSink } from "./builder/logger.js";
export { diffPlans, type ManifestDiff, type SettingChange, type ArtifactChange, type CompareOptions } from "./diff/compare.js";
export type { ComparedSide } from "./diff/view.js";
