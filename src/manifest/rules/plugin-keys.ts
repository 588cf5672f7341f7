import { escapeKeyFormat } from "../../builder/app/plugin-keys.js";
import { enabledTarget } from "../targets.js";
import type { Rule } from "./context.js";

const HOST_TARGET = { runtime: "standalone", serverExpansion: "server" } as const;

/** Plug-in keys: end-user kinds only, in a known format, for a target that is built. Keys are never echoed. */
export const checkPluginKeys: Rule = ({ manifest, report }) => {
  (manifest.plugins?.keys ?? []).forEach((entry, i) => {
    const at = ["plugins", "keys", i];
    if (entry.kind !== "runtime" && entry.kind !== "serverExpansion") {
      report("error", "programmer-key", [...at, "kind"], `${entry.kind} keys are programmer keys: they belong to the structure, not to the built application`, "install them in the interpreted project with the plug-in's licence manager; list only runtime and serverExpansion keys here");
      return;
    }
    if (typeof entry.key === "string" && !escapeKeyFormat(entry.key))
      report("error", "bad-plugin-key", [...at, "key"], `plugins.keys[${i}].key is not a plug-in key: expected 16 upper-case characters, or a longer mixed-case key`, "paste the key exactly as the vendor sent it");
    const target = HOST_TARGET[entry.kind];
    if (!enabledTarget(manifest, target)) report("warning", "unused-setting", [...at, "kind"], `a ${entry.kind} key is installed with the ${target} application, and none is built`);
  });
};
