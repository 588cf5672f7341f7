import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { signDetached, toPem } from "../../signing/cms.js";
import type { BuildContext } from "../context.js";
import type { BuildStep } from "../step.js";
import { ARCHIVES_FOLDER } from "./archive.js";

async function signFile(context: BuildContext, file: string): Promise<void> {
  const checksums = context.plan.config.signing.checksums;
  const der = signDetached(await readFile(file), context.signing!.identity, new Date(context.sourceDate * 1000));
  const output = `${file}.p7s`;
  await writeFile(output, checksums.format === "pem" ? toPem(der) : der);
  context.artifacts.push({ kind: "signature", path: output });
}

/**
 * SHA256SUMS.p7s, a detached CMS signature of SHA256SUMS, and with perArtifact one per archive: made last, so
 * nothing is signed before it was hashed. The signing time is SOURCE_DATE_EPOCH, so the bytes are reproducible.
 */
export const signChecksumsStep: BuildStep = {
  name: "sign-checksums",
  title: "sign SHA256SUMS",
  scope: "build",
  skip: (plan) => (!plan.config.signing.certificate ? "signing.certificate is not set" : !plan.config.signing.checksums.sign ? "signing.checksums.sign is false" : false),
  async run(context) {
    await signFile(context, path.join(context.out, "SHA256SUMS"));
    if (!context.plan.config.signing.checksums.perArtifact) return;
    const archives = context.reported.filter((a) => a.path.startsWith(`${ARCHIVES_FOLDER}/`));
    for (const archive of archives) await signFile(context, path.join(context.out, archive.path));
  },
};
