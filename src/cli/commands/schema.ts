import { ExitCode } from "../../errors.js";
import { manifestSchema } from "../../manifest/schema.generated.js";
import type { CliIO } from "../io.js";

export function schemaCommand(io: CliIO): number {
  io.stdout.write(`${JSON.stringify(manifestSchema, null, 2)}\n`);
  return ExitCode.ok;
}
