import type { RuntimeSetting } from "../runtime-source.js";
import { selects } from "../scope.js";
import { displayPath, type PathSegment } from "../source.js";
import { APP_TARGETS, enabledTarget, PLATFORMS, targetPlatforms } from "../targets.js";
import { originOf, type Rule, type RuleContext } from "./context.js";

const RUNTIME_NAME = { standalone: "4D Volume Desktop", server: "4D Server", client: "4D Volume Desktop" } as const;
const RUNTIME_VARIABLE = { standalone: "VOLUME_DESKTOP", server: "4D_SERVER", client: "VOLUME_DESKTOP" } as const;

/** Every platform an application target builds for needs the runtime it is merged with (in the scope). */
export const checkRuntimes: Rule = (context) => {
  const { manifest, report, scope } = context;
  for (const name of APP_TARGETS) {
    const target = manifest.targets?.[name];
    if (!target || !enabledTarget(manifest, name) || !selects(scope, name)) continue;
    const at = ["targets", name];
    const example = (p: string) => `runtime: { ${p}: \${env.${RUNTIME_VARIABLE[name].replace(/^4D_/, "FOURD_")}_${p.toUpperCase()}} } (the ${RUNTIME_NAME[name]}${p === "mac" ? ".app package" : " folder"})`;
    if (!target.platforms && targetPlatforms(manifest, name).length === 0) {
      report("error", "missing-runtime", at, `${displayPath(at)} has no runtime: it needs a ${RUNTIME_NAME[name]} for each platform it builds`, `add ${example("mac")}`, "key");
      continue;
    }
    target.platforms?.forEach((platform, i) => {
      if (target.runtime?.[platform] === undefined && selects(scope, name, platform))
        report("error", "missing-runtime", [...at, "platforms", i], `${displayPath(at)} builds for ${platform} but has no runtime.${platform}`, `add ${example(platform)}`);
    });
    for (const platform of PLATFORMS) {
      if (target.platforms?.length && target.runtime?.[platform] !== undefined && !target.platforms.includes(platform))
        report("warning", "unused-setting", [...at, "runtime", platform], `runtime.${platform} is not used: platforms does not include ${platform}`);
      checkRuntimeSource(context, [...at, "runtime", platform], target.runtime?.[platform]);
    }
  }
};

/** A download written in the manifest must not carry a token in its query string. */
function checkRuntimeSource(context: RuleContext, at: PathSegment[], value: RuntimeSetting | undefined): void {
  if (typeof value !== "object" || context.invalid(at)) return;
  if (/\?./.test(value.url) && !originOf(context, [...at, "url"])?.fromEnvironment)
    context.report("warning", "literal-secret", [...at, "url"], `${displayPath([...at, "url"])} has a query string written in the manifest: a token in it is readable by anyone who reads the repository`, "write the address as ${secret.NAME} and pass it through the environment");
}

/** Client/server consistency: version range, cross-platform update archives, Windows-only options. */
export const checkClientServer: Rule = ({ manifest, report }) => {
  const update = manifest.autoUpdate;
  const range = update?.acceptedClientVersions;
  const min = range?.min ?? 1;
  const max = range?.max ?? 1;
  if (min > max) {
    report("error", "bad-version-range", ["autoUpdate", "acceptedClientVersions", "min"], `the minimum accepted client version (${min}) is above the maximum (${max})`, "the server would refuse every client: lower min or raise max");
  } else if (range && update?.currentVersion !== undefined && (update.currentVersion < min || update.currentVersion > max)) {
    report("warning", "current-version-refused", ["autoUpdate", "currentVersion"], `clients of this build (version ${update.currentVersion}) are outside the accepted range ${min}–${max}`, "the server built with these settings would refuse its own clients");
  }

  const server = enabledTarget(manifest, "server") ? targetPlatforms(manifest, "server") : [];
  // A server that is declared but switched off keeps its settings dormant; they are checked when it is on.
  const serverOff = manifest.targets?.server?.enabled === false;
  if (update?.enabled && server.length === 0 && !serverOff)
    report("warning", "unused-setting", ["autoUpdate", "enabled"], "client update archives are stored in the server, but no server target is built");
  for (const [platform, host] of [["win", "mac"], ["mac", "win"]] as const) {
    if (!update?.otherPlatformClient?.[platform] || serverOff) continue;
    const at = ["autoUpdate", "otherPlatformClient", platform];
    if (!update.enabled) report("error", "needs-auto-update", at, `an update archive for ${platform} clients needs autoUpdate.enabled: true`, "the archive is only used by the automatic client update");
    if (!server.includes(host)) report("error", "needs-server", at, `the ${platform} client archive is embedded in a server built on ${host}, but no ${host} server is built`, `add ${host} to targets.server.platforms`);
  }

  const appleSilicon = manifest.targets?.server?.appleSiliconClients;
  if (appleSilicon && appleSilicon.enabled !== false && !serverOff && !server.includes("win"))
    report("warning", "unused-setting", ["targets", "server", "appleSiliconClients"], "appleSiliconClients only applies to a Windows server, and none is built");

  const client = manifest.targets?.client;
  if (client && client.platforms && !client.platforms.includes("win")) {
    for (const key of ["singleInstance", "shareLocalResources"] as const) {
      if (client[key] !== undefined) report("warning", "unused-setting", ["targets", "client", key], `${key} only applies to Windows clients, and none is built`);
    }
  }
};

export const checkSigning: Rule = (context) => {
  const { manifest, report } = context;
  const signing = manifest.signing;
  const mac = signing?.mac;
  if (mac?.sign === true && !mac.identity) report("error", "missing-identity", ["signing", "mac", "sign"], "signing.mac.sign is true but no identity is given", 'add identity: "Developer ID Application: Your Company (TEAMID)", or use adHoc: true');
  const certificate = signing?.certificate;
  if (certificate) {
    if ((certificate.p12 === undefined) === (certificate.p12Base64 === undefined))
      report("error", "certificate-source", ["signing", "certificate"], "signing.certificate needs exactly one of p12 (a file) and p12Base64 (a secret)", "p12Base64: ${secret.SIGNING_P12_BASE64} keeps the certificate out of the repository", "key");
    for (const key of ["p12Base64", "password"] as const) {
      if (certificate[key] !== undefined && !originOf(context, ["signing", "certificate", key])?.fromEnvironment)
        report("warning", "literal-secret", ["signing", "certificate", key], `signing.certificate.${key} is written in the manifest: anyone who reads the repository has it`, `use \${secret.NAME} and pass the value through the environment`);
    }
  }
  if (signing?.checksums && !certificate && signing.checksums.sign !== false)
    report("error", "missing-certificate", ["signing", "checksums"], "signing.checksums needs signing.certificate to sign with", "add signing.certificate (p12Base64 and password from secrets)", "key");
  const notarize = mac?.notarize;
  if (notarize?.enabled && !notarize.keychainProfile && !(notarize.appleId && notarize.teamId && notarize.password))
    report("error", "notary-credentials", ["signing", "mac", "notarize"], "notarization needs keychainProfile, or appleId, teamId and password", "create a profile with xcrun notarytool store-credentials, or pass an app-specific password from a secret", "key");
  if (notarize?.enabled && !mac?.identity) report("error", "notarize-unsigned", ["signing", "mac", "notarize", "enabled"], "notarization needs a Developer ID signature: signing.mac.identity is not set");
  if (notarize?.password !== undefined && !originOf(context, ["signing", "mac", "notarize", "password"])?.fromEnvironment)
    report("warning", "literal-secret", ["signing", "mac", "notarize", "password"], "signing.mac.notarize.password is written in the manifest: anyone who reads the repository has it", "use ${secret.NAME}");
};
