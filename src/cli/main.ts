import { Command, CommanderError, Option } from "commander";
import { formatDiagnostics, OUTPUT_FORMATS, styleFor, type OutputFormat } from "../diagnostics.js";
import { ExitCode, exitCodeFor, InvalidInputError, UsageError } from "../errors.js";
import { packageVersion } from "../package-root.js";
import { initCommand } from "./commands/init.js";
import { schemaCommand } from "./commands/schema.js";
import { validateCommand } from "./commands/validate.js";
import { processIO, type CliIO } from "./io.js";

const ISSUES = "https://github.com/4dbuild/4dbuild/issues";

function program(io: CliIO, setExit: (code: number) => void): Command {
  const cli = new Command("4dbuild")
    .description("Declarative builds for 4D applications: 4dbuild.yml → buildApp.4DSettings and build artifacts.")
    .version(packageVersion(), "-v, --version")
    .showHelpAfterError("(run 4dbuild --help for usage)")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  const format = () => new Option("-f, --format <format>", "output format").choices(OUTPUT_FORMATS).default("text");

  cli
    .command("validate")
    .description("check a manifest: YAML, schema, references, files and 4D rules (exit 1 when invalid)")
    .argument("[manifest]", "manifest file", "4dbuild.yml")
    .addOption(format())
    .action((manifest: string, options: { format: OutputFormat }) => setExit(validateCommand(io, manifest, options)));

  cli
    .command("schema")
    .description("print the JSON Schema of 4dbuild.yml")
    .option("--markdown", "print the field reference (field → buildApp.4DSettings keys) as a Markdown table instead", false)
    .action((options: { markdown: boolean }) => setExit(schemaCommand(io, options)));

  cli
    .command("init")
    .description("write a commented starter 4dbuild.yml for the 4D project in the current folder")
    .option("-o, --output <file>", "manifest to write", "4dbuild.yml")
    .option("--4d-version <version>", 'the 4D version you build with, e.g. "20 R8"', "21")
    .option("--force", "overwrite an existing manifest", false)
    .action((options: { output: string; "4dVersion": string; force: boolean }) =>
      setExit(initCommand(io, { output: options.output, fourDVersion: options["4dVersion"], force: options.force })),
    );
  return cli;
}

/** Runs one 4dbuild command and returns its exit code. Errors are mapped to exit codes here and only here. */
export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  let code: number = ExitCode.ok;
  try {
    await program(io, (c) => (code = c)).parseAsync([...argv], { from: "user" });
    return code;
  } catch (error) {
    const style = styleFor(io.stderr, io.env);
    if (error instanceof CommanderError) {
      const informational = error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.code === "commander.help";
      return informational ? ExitCode.ok : ExitCode.usage;
    }
    if (error instanceof UsageError) {
      io.stderr.write(`${style.red("error")}: ${error.message}\n${error.hint ? `  ${style.cyan("hint")}: ${error.hint}\n` : ""}`);
    } else if (error instanceof InvalidInputError) {
      io.stderr.write(formatDiagnostics(error.diagnostics, { format: "text", sources: error.sources, style }));
    } else {
      const detail = io.env.FOURDBUILD_DEBUG && error instanceof Error ? `\n${error.stack}` : "";
      io.stderr.write(`${style.red("internal error")}: ${error instanceof Error ? error.message : String(error)}${detail}\nThis is a bug in 4dbuild; please report it at ${ISSUES}\n`);
    }
    return exitCodeFor(error);
  }
}
