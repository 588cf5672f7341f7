import { Command, CommanderError, Option } from "commander";
import { formatDiagnostics, OUTPUT_FORMATS, styleFor } from "../messages/diagnostics.js";
import { DIFF_FORMATS, type DiffFormat } from "../diff/render.js";
import { ExitCode, exitCodeFor, InterruptedError, InvalidInputError, UserError } from "../messages/errors.js";
import { faultOrSelf } from "../messages/faults.js";
import { LOG_FORMATS } from "../builder/logger.js";
import { packageVersion } from "../files/package-root.js";
import type { buildCommand } from "./commands/build.js";
import type { planCommand } from "./commands/plan.js";
import type { Tool4dCommandOptions } from "./commands/tool4d.js";
import type { validateCommand } from "./commands/validate.js";
import { maskedIO, processIO, type CliIO } from "./io.js";
import { printable } from "../messages/text.js";

const ISSUES = "https://github.com/4dbuild/4dbuild/issues";

// Each command's module is imported when the command runs (a chunk of its own in the bundle): `--version`,
// `--help` and a usage error load none of them.
function program(io: CliIO, setExit: (code: number) => void): Command {
  const cli = new Command("4dbuild")
    .description("Declarative builds for 4D applications: 4dbuild.yml → buildApp.4DSettings and build artifacts.")
    .version(packageVersion(), "-v, --version")
    .showHelpAfterError("(run 4dbuild --help for usage)")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  const format = () => new Option("-f, --format <format>", "output format").choices(OUTPUT_FORMATS).default("text");
  // Names are checked by the library (a usage error with a did-you-mean), not by commander.
  const targets = () => new Option("-t, --target <names...>", "only these targets: compiled, component, standalone, server, client");
  const platforms = () => new Option("-p, --platform <os...>", "only these platforms (application targets): mac, win");
  const host = (required: boolean) => {
    const option = new Option("--host <os>", required ? "the OS 4D builds on" : "the OS the settings were written on, when the file does not tell").choices(["mac", "win"]);
    return required ? option.makeOptionMandatory() : option;
  };

  cli
    .command("validate")
    .description("check a manifest: YAML, schema, references, files and 4D rules (exit 1 when invalid); with --target/--platform, only the inputs of those units are required")
    .argument("[manifest]", "manifest file", "4dbuild.yml")
    .addOption(format())
    .addOption(targets())
    .addOption(platforms())
    .action(async (manifest: string, options: Parameters<typeof validateCommand>[2]) => setExit((await import("./commands/validate.js")).validateCommand(io, manifest, options)));

  cli
    .command("schema")
    .description("print the JSON Schema of 4dbuild.yml")
    .option("--markdown", "print the field reference (field → buildApp.4DSettings keys) as a Markdown table instead", false)
    .action(async (options: { markdown: boolean }) => setExit((await import("./commands/schema.js")).schemaCommand(io, options)));

  cli
    .command("generate")
    .description("write the buildApp.4DSettings that 4D's BUILD APPLICATION needs on a build host")
    .argument("[manifest]", "manifest file", "4dbuild.yml")
    .addOption(host(true))
    .option("-o, --output <file>", "write to this file (atomically) instead of standard output")
    .option("--mac-volume <name>", "name of the macOS boot volume, for absolute paths", "Macintosh HD")
    .option("--for-build <file>", "write the settings with their real values (secrets included) for 4D to run, to this file outside the repository (mode 0600)")
    .action(async (manifest: string, options: { host: "mac" | "win"; output?: string; macVolume: string; forBuild?: string }) => setExit((await import("./commands/generate.js")).generateCommand(io, manifest, options)));

  cli
    .command("plan")
    .description("print what a build would do: targets, platforms, runtimes, artifacts, steps and what is skipped")
    .argument("[manifest]", "manifest file", "4dbuild.yml")
    .addOption(new Option("-f, --format <format>", "output format").choices(["text", "json"]).default("text"))
    .addOption(targets())
    .addOption(platforms())
    .action(async (manifest: string, options: Parameters<typeof planCommand>[2]) => setExit((await import("./commands/plan.js")).planCommand(io, manifest, options)));

  cli
    .command("diff")
    .description("compare two build configurations (manifests or buildApp.4DSettings; files or git revisions) by meaning: settings with what they mean for users, generated XML, artifacts, and each side's problems")
    .argument("[base]", "manifest or buildApp.4DSettings file, git revision, or REVISION:path")
    .argument("[head]", "manifest or buildApp.4DSettings file, git revision, or REVISION:path")
    .option("--git <revision>", "compare the file (the argument, else --manifest) at this revision with the working tree")
    .option("--manifest <file>", "file read at a side given as a revision (default 4dbuild.yml, else Settings/buildApp.4DSettings)")
    .addOption(host(false))
    .option("--strict", "exit 1 when a side is not valid (its problems are listed either way)", false)
    .addOption(new Option("-f, --format <format>", "output format").choices(DIFF_FORMATS).default("text"))
    .action(async (base: string | undefined, head: string | undefined, options: { git?: string; manifest?: string; host?: "mac" | "win"; strict: boolean; format: DiffFormat }) => setExit((await import("./commands/diff.js")).diffCommand(io, base, head, options)));

  cli
    .command("build")
    .description("build the targets of a manifest into its destination; a failed or interrupted build leaves the previous outputs untouched")
    .argument("[manifest]", "manifest file", "4dbuild.yml")
    .addOption(targets())
    .addOption(platforms())
    .option("-o, --out <dir>", "destination folder instead of the manifest's")
    .option("--dry-run", "print the plan and build nothing", false)
    .addOption(new Option("--log <format>", "log format (default: github in GitHub Actions, else text)").choices(LOG_FORMATS))
    .option("--wait <seconds>", "how long to wait for another build writing to the same destination", "30")
    .option("--force-unlock", "remove the destination's lock first (a damaged lock, or one a build on another machine left); only when no build is writing there", false)
    .option("--app-version <version>", "use this version for the applications (replaces versioning.common.version), e.g. a release tag")
    .option("--compare-engines", "build natively and with 4D (build.engine; 4d when it is native), and list every file that differs in the report", false)
    .action(async (manifest: string, options: Parameters<typeof buildCommand>[2]) => setExit(await (await import("./commands/build.js")).buildCommand(io, manifest, options)));

  cli
    .command("verify")
    .description("check every checksum and signature of a build output; --rebuild builds again and compares every file (exit 1 on any mismatch)")
    .argument("[dir]", "the build's destination folder", ".")
    .option("--cert <pem>", "trusted certificate: signatures must be made by it or by a certificate it issued")
    .option("--rebuild", "build the manifest again into a temporary folder and compare byte for byte", false)
    .option("--manifest <file>", "manifest to rebuild", "4dbuild.yml")
    .action(async (dir: string, options: { cert?: string; rebuild: boolean; manifest: string }) => setExit(await (await import("./commands/verify.js")).verifyCommand(io, dir, options)));

  cli
    .command("matrix")
    .description("print a GitHub Actions strategy.matrix sending each target × platform to a suitable runner")
    .argument("[manifest]", "manifest file", "4dbuild.yml")
    .action(async (manifest: string) => setExit((await import("./commands/matrix.js")).matrixCommand(io, manifest)));

  cli
    .command("merge")
    .description("combine the outputs of several runners into one release set: one SHA256SUMS, one signature, one report")
    .argument("<dirs...>", "build output folders")
    .requiredOption("-o, --out <dir>", "folder of the merged release set (replaced atomically)")
    .option("--manifest <file>", "sign the merged SHA256SUMS with this manifest's signing.certificate")
    .action(async (dirs: string[], options: { out: string; manifest?: string }) => setExit(await (await import("./commands/merge.js")).mergeCommand(io, dirs, options)));

  const cert = cli.command("cert").description("signing certificates: inspect one, or create a self-signed one");
  cert
    .command("inspect")
    .description("print a certificate's identity, validity, usage and chain (never its key or password); exit 1 when it cannot sign now")
    .option("--p12 <file>", "a .p12/.pfx file instead of the manifest's signing.certificate")
    .option("--password-env <name>", "environment variable holding the .p12 password")
    .option("--manifest <file>", "manifest whose signing.certificate to inspect", "4dbuild.yml")
    .addOption(new Option("-f, --format <format>", "output format").choices(["text", "json"]).default("text"))
    .action(async (options: { p12?: string; passwordEnv?: string; manifest: string; format: "text" | "json" }) => setExit((await import("./commands/cert.js")).certInspectCommand(io, options)));
  cert
    .command("create")
    .description("create a self-signed code-signing certificate (.p12, certificate and key PEM) for internal deployment and tests")
    .requiredOption("--name <name>", 'common name, the identity codesign shows (e.g. "Example Ltd Internal")')
    .option("--days <n>", "validity in days", "365")
    .option("--start <date>", "start of validity (default: now); a past date makes an expired certificate for tests")
    .option("-o, --output <dir>", "folder to write into", ".")
    .option("--password-env <name>", "environment variable holding the .p12 password (default: no password)")
    .action(async (options: { name: string; days: string; start?: string; output: string; passwordEnv?: string }) => setExit((await import("./commands/cert.js")).certCreateCommand(io, options)));

  const tool4d = cli.command("tool4d").description("tool4d for this machine in 4dbuild's cache: download it, print its path, list what is cached");
  const tool4dOptions = (command: Command) =>
    command
      .argument("[manifest]", "manifest whose 4dVersion to use (default 4dbuild.yml)")
      .option("--4d-version <version>", 'the 4D version, e.g. "21" or "21 R2" (default: the manifest\'s 4dVersion)')
      .option("--build <build>", "a build number, or latest", "latest");
  tool4dOptions(tool4d.command("install").description("download the tool4d of a 4D version for this machine into the cache, unless it is there; print its executable"))
    .action(async (manifest: string | undefined, options: Tool4dCommandOptions) => setExit(await (await import("./commands/tool4d.js")).tool4dInstallCommand(io, manifest, options)));
  tool4dOptions(tool4d.command("path").description("print the executable of a cached tool4d (no download; exit 1 when it is not cached)"))
    .action(async (manifest: string | undefined, options: Tool4dCommandOptions) => setExit((await import("./commands/tool4d.js")).tool4dPathCommand(io, manifest, options)));
  tool4d
    .command("list")
    .description("list the tool4d builds in the cache")
    .action(async () => setExit((await import("./commands/tool4d.js")).tool4dListCommand(io)));

  cli
    .command("import")
    .description("turn an existing buildApp.4DSettings into a commented 4dbuild.yml, losslessly")
    .argument("[settings]", "settings file (default: Settings/buildApp.4DSettings)")
    .option("-o, --output <file>", "manifest to write (- for standard output)", "4dbuild.yml")
    .addOption(host(false))
    .option("--4d-version <version>", "the 4D version the settings are for (default: read from the runtime paths)")
    .option("--mac-volume <name>", "name of the macOS boot volume, for absolute paths", "Macintosh HD")
    .option("--force", "overwrite an existing manifest", false)
    .action(async (settings: string | undefined, options: { output: string; host?: "mac" | "win"; "4dVersion"?: string; macVolume: string; force: boolean }) =>
      setExit((await import("./commands/import.js")).importCommand(io, settings, { ...options, ...(options["4dVersion"] ? { fourDVersion: options["4dVersion"] } : {}) }).code),
    );

  cli
    .command("init")
    .description("write a commented starter 4dbuild.yml for the 4D project in the current folder or a few folders below (the component target for a component)")
    .option("-o, --output <file>", "manifest to write", "4dbuild.yml")
    .option("--project <path>", "the project: its .4DProject file or package folder (when several are found)")
    .option("--4d-version <version>", 'the 4D version you build with, e.g. "20 R8"')
    .option("--from <settings>", "start from an existing buildApp.4DSettings (see import)")
    .addOption(host(false))
    .option("--force", "overwrite an existing manifest", false)
    .action(async (options: { output: string; project?: string; "4dVersion"?: string; from?: string; host?: "mac" | "win"; force: boolean }) =>
      setExit(
        (await import("./commands/init.js")).initCommand(io, {
          output: options.output,
          force: options.force,
          ...(options["4dVersion"] ? { fourDVersion: options["4dVersion"] } : {}),
          ...(options.from ? { from: options.from } : {}),
          ...(options.host ? { host: options.host } : {}),
          ...(options.project ? { project: options.project } : {}),
        }),
      ),
    );
  return cli;
}

/** Runs one 4dbuild command and returns its exit code. Errors are mapped to exit codes here and only here. */
export async function main(argv: readonly string[], given: CliIO = processIO()): Promise<number> {
  const io = maskedIO(given);
  let code: number = ExitCode.ok;
  try {
    await program(io, (c) => (code = c)).parseAsync([...argv], { from: "user" });
    return code;
  } catch (thrown) {
    // A full disk or a refused permission is the user's environment, not a bug: an error naming the path (exit 1).
    const error = faultOrSelf(thrown);
    const style = styleFor(io.stderr, io.env);
    if (error instanceof CommanderError) {
      const informational = error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.code === "commander.help";
      return informational ? ExitCode.ok : ExitCode.usage;
    }
    if (error instanceof UserError) {
      const [message, hint] = [error.message, error.hint].map((text) => text && printable(io.redactor.redact(text)));
      io.stderr.write(`${style.red("error")}: ${message}\n${hint ? `  ${style.cyan("hint")}: ${hint}\n` : ""}`);
    } else if (error instanceof InterruptedError) {
      io.stderr.write(`${error.message}\n`);
    } else if (error instanceof InvalidInputError) {
      io.stderr.write(formatDiagnostics(error.diagnostics, { format: "text", sources: error.sources, style, redactor: io.redactor }));
    } else {
      const detail = io.env.FOURDBUILD_DEBUG && error instanceof Error ? `\n${error.stack}` : "";
      io.stderr.write(`${style.red("internal error")}: ${error instanceof Error ? error.message : String(error)}${detail}\nThis is a bug in 4dbuild; please report it at ${ISSUES}\n`);
    }
    return exitCodeFor(error);
  }
}
