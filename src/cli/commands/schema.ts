import { ExitCode } from "../../messages/errors.js";
import { manifestReferenceMarkdown } from "../../manifest/reference.js";
import { manifestSchema } from "../../manifest/schema.generated.js";
import type { CliIO } from "../io.js";

export function schemaCommand(io: CliIO, options: { markdown: boolean }): number {
  io.stdout.write(options.markdown ? manifestReferenceMarkdown() : `${JSON.stringify(manifestSchema, null, 2)}\n`);
  return ExitCode.ok;
}
