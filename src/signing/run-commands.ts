import { spawn } from "node:child_process";
import { BuildError } from "../messages/errors.js";
import type { Redactor } from "../messages/redactor.js";
import { commandLine, type Command } from "./macos.js";

export interface CommandRunOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  redactor: Redactor;
  signal: AbortSignal;
  log: (line: string) => void;
  /** Checks a command's output; returns a failure message when the command "succeeded" but did not do its job. */
  judge?: (command: Command, output: string) => string | undefined;
}

function runOne(command: Command, options: CommandRunOptions): Promise<{ code: number | null; output: string; timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command.program, command.args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"], signal: options.signal, ...(command.timeoutMs ? { timeout: command.timeoutMs, killSignal: "SIGKILL" as const } : {}) });
    let output = "";
    const collect = (chunk: Buffer) => (output += chunk.toString("utf8"));
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.on("error", (error: NodeJS.ErrnoException) =>
      error.code === "ENOENT" ? reject(new BuildError(`${command.program} was not found`, command.program === "codesign" || command.program === "xcrun" ? "install the Xcode command line tools (xcode-select --install)" : `install ${command.program} or fix the signing command`)) : reject(error),
    );
    child.on("close", (code, signal) => resolve({ code, output, timedOut: signal === "SIGKILL" && command.timeoutMs !== undefined }));
  });
}

/**
 * Runs a plan in order, each command logged through the redactor (passwords become ***). The first failure
 * stops the plan; commands marked `always` (clean-up) still run. Failures quote the redacted output tail.
 */
export async function runCommands(commands: readonly Command[], options: CommandRunOptions): Promise<void> {
  let failure: unknown;
  for (const command of commands) {
    if (failure && !command.always) continue;
    const shown = options.redactor.redact(commandLine(command));
    options.log(`  $ ${shown}`);
    try {
      const { code, output, timedOut } = await runOne(command, options);
      const tail = options.redactor.redact(output.trim().split("\n").slice(-15).join("\n"));
      if (timedOut) throw new BuildError(`${command.program} ${command.args[0]} did not finish within ${Math.round(command.timeoutMs! / 60_000)} minutes and was stopped`, "raise signing.mac.notarize.timeoutMinutes, or check Apple's notary service status");
      if (code !== 0) throw new BuildError(`${shown} failed (exit code ${code})${tail ? `:\n${tail}` : ""}`);
      const judged = options.judge?.(command, output);
      if (judged) throw new BuildError(`${judged}${tail ? `:\n${tail}` : ""}`);
    } catch (error) {
      failure ??= error;
    }
  }
  if (failure) throw failure;
}

/** notarytool's verdict: anything but "status: Accepted" is a rejection, with the submission id to look up. */
export function notaryVerdict(command: Command, output: string): string | undefined {
  if (command.program !== "xcrun" || command.args[0] !== "notarytool") return undefined;
  if (/status:\s*Accepted/i.test(output)) return undefined;
  const status = /status:\s*([A-Za-z ]+)/i.exec(output)?.[1]?.trim() ?? "no status";
  const id = /id:\s*([0-9a-f-]{36})/i.exec(output)?.[1];
  return `notarization was not accepted (${status})${id ? `; see xcrun notarytool log ${id}` : ""}`;
}
