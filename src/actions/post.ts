import * as core from "@actions/core";
import { removeSecretFiles } from "./secret-files.js";

/** The post entry: removes the secret files of the main entry, whether the job succeeded, failed or was cancelled. */
export function cleanUp(): void {
  const state = core.getState("secret-files");
  if (!state) return;
  const { files, folder } = JSON.parse(state) as { files: string[]; folder: string };
  removeSecretFiles(files, folder);
  core.info(`removed ${files.length} secret file${files.length === 1 ? "" : "s"}`);
}
