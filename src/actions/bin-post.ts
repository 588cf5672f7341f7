import * as core from "@actions/core";
import { cleanUp } from "./post.js";

// The action's post entry (action.yml runs.post, always run): secret files never outlive the job.
try {
  cleanUp();
} catch (error) {
  core.warning(`could not remove every secret file: ${error instanceof Error ? error.message : String(error)}`);
}
