import type { Platform } from "../manifest/plan.js";

/**
 * Where 4D puts each target inside the destination folder (build-outputs.md §1–5). The Windows server and
 * client folder names are uncertain in the reference ("<Name> Server" vs "<Name>Server"); these are the
 * most likely defaults, kept here as data.
 */
export const LAYOUT = {
  compiledFolder: "Compiled Database",
  componentsFolder: "Components",
  standaloneFolder: "Final Application",
  clientServerFolder: "Client Server executable",
  serverName: (name: string) => `${name} Server`,
  clientName: (name: string) => `${name} Client`,
} as const;

export type TargetName = "compiled" | "component" | "standalone" | "server" | "client";

/** The main artifact of a target, relative to the destination folder. */
export function artifactPath(target: TargetName, name: string, platform: Platform | undefined): string {
  const app = (folder: string, appName: string) => (platform === "mac" ? `${folder}/${appName}.app` : `${folder}/${appName}`);
  switch (target) {
    case "compiled":
      return `${LAYOUT.compiledFolder}/${name}`;
    case "component":
      return `${LAYOUT.componentsFolder}/${name}.4dbase`;
    case "standalone":
      return app(LAYOUT.standaloneFolder, name);
    case "server":
      return app(LAYOUT.clientServerFolder, LAYOUT.serverName(name));
    case "client":
      return app(LAYOUT.clientServerFolder, LAYOUT.clientName(name));
  }
}
