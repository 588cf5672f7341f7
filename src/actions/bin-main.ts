import * as core from "@actions/core";
import { formatDiagnostics } from "../messages/diagnostics.js";
import { InvalidInputError, UserError } from "../messages/errors.js";
import { run } from "./main.js";

// The action's main entry (action.yml runs.main): a user's mistake fails the step with its message and hint,
// an invalid manifest with annotations at file:line:column.
run().catch((error: unknown) => {
  if (error instanceof InvalidInputError) {
    process.stdout.write(formatDiagnostics(error.diagnostics, { format: "github" }));
    core.setFailed("the manifest is invalid: see the annotations");
  } else if (error instanceof UserError) core.setFailed(`${error.message}${error.hint ? `\nhint: ${error.hint}` : ""}`);
  else core.setFailed(error instanceof Error ? error.message : String(error));
});
