import type { Diagnostic } from "./diagnostics.js";

/** Exit codes of every 4dbuild command. */
export const ExitCode = { ok: 0, invalid: 1, usage: 2, internal: 3 } as const;

/** A mistake of the user, told as a message and what to do about it; never a stack trace. */
export abstract class UserError extends Error {
  constructor(message: string, public hint?: string) {
    super(message);
  }

  /** Masks secrets in the message and hint; for errors whose text may quote resolved manifest values. */
  redact(redactor: { redact(text: string): string }): this {
    this.message = redactor.redact(this.message);
    if (this.hint) this.hint = redactor.redact(this.hint);
    return this;
  }
}

/** The command line was wrong: unknown option, missing argument, file given does not exist. Exit 2. */
export class UsageError extends UserError {
  override readonly name = "UsageError";
}

/** An input (manifest, settings file…) is invalid. Exit 1; the diagnostics say where and why. */
export class InvalidInputError extends Error {
  override readonly name = "InvalidInputError";
  constructor(readonly diagnostics: readonly Diagnostic[], readonly sources: ReadonlyMap<string, string> = new Map()) {
    super(diagnostics.find((d) => d.severity === "error")?.message ?? "invalid input");
  }
}

/** A build that cannot be done as configured: no compiled code, compilation errors, tool4d missing… Exit 1. */
export class BuildError extends UserError {
  override readonly name = "BuildError";
}

/** The build was stopped by SIGINT or SIGTERM; exit 128 + the signal number, as shells do. */
export class InterruptedError extends Error {
  override readonly name = "InterruptedError";
  constructor(readonly signal: "SIGINT" | "SIGTERM") {
    super(`build interrupted by ${signal}: the previous outputs are untouched`);
  }
}

export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError) return ExitCode.usage;
  if (error instanceof InvalidInputError || error instanceof BuildError) return ExitCode.invalid;
  if (error instanceof InterruptedError) return error.signal === "SIGINT" ? 130 : 143;
  return ExitCode.internal;
}
