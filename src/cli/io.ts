import { Redactor } from "../messages/redactor.js";

/** Where a command writes and what it runs in: the process by default, buffers in tests. */
export interface CliIO {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /**
   * The secrets of this run: commands give it to the library, which adds what it reads; main() masks every byte
   * written to stdout and stderr through it, a second line behind the masking of each message.
   */
  redactor?: Redactor;
}

/** The same IO, its two streams masked through the run's redactor. */
export function maskedIO(io: CliIO): CliIO & { redactor: Redactor } {
  const redactor = io.redactor ?? new Redactor();
  const masked = (stream: CliIO["stdout"]) => ({ write: (text: string) => stream.write(redactor.redact(text)), ...(stream.isTTY !== undefined ? { isTTY: stream.isTTY } : {}) });
  return { ...io, stdout: masked(io.stdout), stderr: masked(io.stderr), redactor };
}

/** What every library call of a command is given: the environment, the folder, the run's redactor. */
export const libraryOptions = (io: CliIO) => ({ env: io.env, cwd: io.cwd, ...(io.redactor ? { redactor: io.redactor } : {}) });

export const processIO = (): CliIO => ({ stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });
