import { noteFor } from "../src/diff/notes.js";
import { licenceChange } from "../src/diff/licences.js";
import type { ResolvedConfig } from "../src/manifest/plan.js";

// The notes the reference asks for: what a change does to the people who run the built applications, computed
// from the actual values on both sides. Each note is checked both ways: the change, then its reverse.
type Case = [field: string, before: unknown, after: unknown, forward: string, back: string];

const CASES: Case[] = [
  ["4dVersion", "20 R8", "21", "Built with 4D 21: runtimes of exactly that version are required, and users need a matching 4D Server or clients.", "Built with 4D 20 R8: runtimes of exactly that version are required, and users need a matching 4D Server or clients."],
  ["output.win", "../Build", "../Release", "The Windows build goes to ../Release instead of ../Build: scripts and deployments that take the applications from the old folder must follow.", "The Windows build goes to ../Build instead of ../Release: scripts and deployments that take the applications from the old folder must follow."],
  ["targets.client.enabled", false, true, "Client applications are built for users to connect to the server.", "Client applications are no longer built: users keep the clients they have."],
  ["targets.compiled.enabled", false, true, "The compiled structure is built (Compiled Database/<name>).", "The compiled structure is no longer built: whoever deploys Compiled Database/<name> gets no new version."],
  [
    "targets.standalone.runtime.win",
    undefined,
    "C:\\4D\\4D Volume Desktop",
    "The Windows stand-alone application is built from this 4D runtime: users get the 4D version of that runtime, which must be the 4dVersion's.",
    "No Windows runtime for the stand-alone application any more: the Windows stand-alone application cannot be built.",
  ],
  ["autoUpdate.acceptedClientVersions.min", 1, 4, "Raises the oldest client the server accepts to version 4: every older client is refused and must update.", "Clients from version 1 on are accepted again."],
  ["autoUpdate.acceptedClientVersions.max", 3, 2, "Clients newer than version 2 are refused by the server.", "Clients up to version 3 are accepted."],
  ["autoUpdate.enabled", false, true, "The server carries client update archives: clients outside the accepted range download the new version when they connect.", "Clients are no longer updated automatically: each one must be reinstalled by hand."],
  ["autoUpdate.otherPlatformClient.win.source", undefined, "/builds/Hello.4darchive", "The server carries an update of the Windows clients, built from /builds/Hello.4darchive.", "The server no longer carries the Windows clients' update: they must be reinstalled by hand."],
  ["autoUpdate.elevated.client", false, true, "On Windows the update asks for administrator rights (UAC prompt).", "On Windows the update runs with the user's rights."],
  ["modules.exclude", [], ["CEF"], "Excluding CEF: web areas using the embedded engine and 4D View Pro areas stay blank.", "CEF is shipped again."],
  ["modules.exclude", ["CEF"], ["CEF", "MeCab"], "Excluding MeCab: Japanese text indexes are rebuilt when the application runs in Japanese.", "MeCab is shipped again."],
  ["components.exclude", undefined, ["4D SVG"], "4D SVG is no longer shipped: code that calls it fails at run time.", "4D SVG is shipped again."],
  ["plugins.exclude", undefined, ["4D View"], "Plug-in 4D View is no longer shipped: its commands fail at run time.", "Plug-in 4D View is shipped again."],
  [
    "targets.standalone.dataLinking",
    "byAppName",
    "byAppPath",
    "Data linking byAppPath: a moved or renamed copy of the application no longer finds its data file and asks the user to select one; each copy keeps its own data file.",
    "Data linking byAppName: every copy of the application opens the data file last used by any copy with the same name.",
  ],
  ["targets.server.appleSiliconClients.enabled", false, true, "The Windows server uses a structure compiled on macOS: Apple Silicon Macs can connect to it as clients.", "The Windows server no longer carries a structure compiled for Apple Silicon: Apple Silicon clients cannot connect to it."],
  ["network.linkCode", undefined, "${secret.LINK}", "Existing clients can no longer connect: the server only accepts clients built with the same link code.", "Existing clients can no longer connect: the server only accepts clients built with the same link code."],
  ["network.serverAddress", undefined, "db.example.com", "Clients connect to db.example.com.", "Clients look for the server by its publication name on the local network only."],
  ["network.port", 19813, 19900, "Clients connect on port 19900; the server must listen on that port (project settings).", "Clients connect on port 19813; the server must listen on that port (project settings)."],
  [
    "structure.pack",
    true,
    false,
    "The structure ships as a writable Project folder instead of a read-only .4DZ: the application can change its own structure, and so can anyone with access to its files.",
    "The structure ships read-only, packed in a .4DZ.",
  ],
  ["structure.standardZip", true, false, "The .4DZ uses 4D's non-standard format, which only 4D can produce.", "The .4DZ is a standard zip."],
  ["licenses.mode", "files", "none", "No licence is embedded: the applications run as demos until the user activates a licence at first launch.", "The listed licence files are embedded."],
  ["licenses.oem.standalone", false, true, "OEM deployment licences are integrated.", "OEM deployment licences are no longer integrated: the application needs another licence."],
  ["targets.server.embedUsersAndGroups", false, true, "The server ships the project's users and groups, read-only; changes go to Data/Settings/directory.json.", "The server no longer ships the project's users and groups."],
  ["targets.server.hideMenuItems.dataExplorer", false, true, "Hides that menu item of the server from its users.", "Shows that menu item of the server again."],
  ["targets.client.singleInstance", true, false, "Several instances of the Windows client can run at once.", "Only one instance of the Windows client can run at a time."],
  ["targets.client.serverSelection", false, true, "When the server cannot be reached, users can choose another server.", "When the server cannot be reached, users can only quit."],
  ["passthrough.CS/AllowMacSiliconClient", undefined, "True", "A raw buildApp.4DSettings key (passthrough): 4D's own builder reads it as written; 4dbuild neither checks nor applies it.", "A raw buildApp.4DSettings key (passthrough): 4D's own builder reads it as written; 4dbuild neither checks nor applies it."],
];

test.each(CASES)("%s: %j → %j, and back", (field, before, after, forward, back) => {
  expect(noteFor({ field, before, after })).toBe(forward);
  expect(noteFor({ field, before: after, after: before })).toBe(back);
});

test("a change without consequence for users has no note", () => {
  expect(noteFor({ field: "versioning.common.comment", before: "a", after: "b" })).toBeUndefined();
});

describe("macOS signing: the note comes from the whole signing of each side, not from one field", () => {
  const ID = "Developer ID Application: X (ABCDE12345)";
  const side = (mac: { identity?: string; sign?: boolean; adHoc?: boolean }) => ({ config: { signing: { mac } } as unknown as ResolvedConfig });
  const note = (field: string, base: Parameters<typeof side>[0], head: Parameters<typeof side>[0]) => noteFor({ field, before: undefined, after: undefined }, side(base), side(head));
  const SIGNED = `The macOS applications are now signed with "${ID}": users' Macs can tell who made them (downloaded copies also need notarization to open without a Gatekeeper warning).`;

  test.each([
    ["signing on (sign false → an identity, sign by default)", "signing.mac.sign", { sign: false }, { identity: ID }, SIGNED, `The macOS applications are no longer signed with "${ID}": Gatekeeper blocks them on users' Macs; they only get an ad-hoc signature (they run on Apple Silicon, not when downloaded).`],
    [
      "signing off without ad-hoc signature",
      "signing.mac.sign",
      { identity: ID, adHoc: false },
      { identity: ID, sign: false, adHoc: false },
      `The macOS applications are no longer signed with "${ID}": Gatekeeper blocks them on users' Macs, and without any signature they do not run on Apple Silicon Macs.`,
      SIGNED,
    ],
    ["identity changed", "signing.mac.identity", { identity: ID }, { identity: "Developer ID Application: Y (FGHIJ67890)" }, `The macOS applications are signed with "Developer ID Application: Y (FGHIJ67890)" instead of "${ID}": users' Macs see another developer, and notarization must use that identity's team.`, `The macOS applications are signed with "${ID}" instead of "Developer ID Application: Y (FGHIJ67890)": users' Macs see another developer, and notarization must use that identity's team.`],
    ["an identity with the sign flag off", "signing.mac.identity", { sign: false }, { identity: ID, sign: false }, `The macOS applications are still not signed: signing.mac.sign is false, so the identity "${ID}" is not used.`, "No change for users: the identity was not used (signing.mac.sign was false)."],
    ["ad-hoc off, no identity", "signing.mac.adHoc", {}, { adHoc: false }, "Without any signature the applications do not run on Apple Silicon Macs.", "Applications without an identity get an ad-hoc signature: they run on Apple Silicon Macs, but Gatekeeper still blocks them when downloaded."],
    ["ad-hoc off, with an identity", "signing.mac.adHoc", { identity: ID }, { identity: ID, adHoc: false }, "No effect while the applications are signed with an identity: the ad-hoc signature is only used without one.", "No effect while the applications are signed with an identity: the ad-hoc signature is only used without one."],
  ])("%s, and back", (_name, field, base, head, forward, back) => {
    expect(note(field, base, head)).toBe(forward);
    expect(note(field, head, base)).toBe(back);
  });
});

describe("licence files: compared by file, named by their place in the list", () => {
  test.each([
    [[], ["licenses.files.win[0]"], "The Windows applications now embed a licence (licenses.files.win[0]): users no longer activate one at first launch.", "No licence file is embedded in the Windows applications any more: they are built without a licence, and users activate one at first launch."],
    [["licenses.files.win[0]"], ["licenses.files.win[0]", "licenses.files.win[1]"], "licenses.files.win[1] is embedded as well: the Windows applications get the licences it holds.", "licenses.files.win[1] is no longer embedded: if it held the deployment licence, the Windows applications are built without one and users activate a licence at first launch."],
  ])("%j → %j, and back", (before, after, forward, back) => {
    expect(licenceChange(before, after, "win")?.note).toBe(forward);
    expect(licenceChange(after, before, "win")?.note).toBe(back);
  });

  test("another file in the same place is a replacement; the same files in another order are no change", () => {
    expect(licenceChange(["licenses.files.mac[0]"], ["licenses.files.mac[0] (another file)"], "mac")?.note).toBe("licenses.files.mac[0] is replaced by another licence file: it must be a deployment licence of this 4D version.");
    expect(licenceChange(["licenses.files.mac[0]", "licenses.files.mac[1]"], ["licenses.files.mac[1]", "licenses.files.mac[0]"], "mac")).toBeUndefined();
  });
});
