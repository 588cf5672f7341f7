import { KNOWN_MODULES } from "../four-d/modules.js";
import type { ResolvedConfig } from "../manifest/plan.js";
import { macSigning, type MacSigning } from "./signing-state.js";

/** A change of one manifest field: `before`/`after` are effective values (defaults applied; undefined: not set). */
export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

/** The whole configurations on each side, for notes that depend on more than the field (signing). */
export interface NoteSides {
  config: ResolvedConfig;
}

type Note = (change: FieldChange, sides: { base?: MacSigning; head?: MacSigning }) => string | undefined;

const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);
const addedItems = (c: FieldChange) => list(c.after).filter((x) => !list(c.before).includes(x));
const removedItems = (c: FieldChange) => list(c.before).filter((x) => !list(c.after).includes(x));
const join = (...parts: (string | undefined)[]) => parts.filter(Boolean).join(" ") || undefined;
const on = (value: unknown) => value === true;

const LINKING: Record<string, string> = {
  byAppPath: "a moved or renamed copy of the application no longer finds its data file and asks the user to select one; each copy keeps its own data file.",
  byAppName: "every copy of the application opens the data file last used by any copy with the same name.",
  inStructure: "the data file path is read from the structure (legacy mode).",
};

const TARGET: Record<string, [built: string, gone: string]> = {
  compiled: ["The compiled structure is built (Compiled Database/<name>).", "The compiled structure is no longer built: whoever deploys Compiled Database/<name> gets no new version."],
  component: ["The component is built (Components/<name>.4dbase) for the projects that use it.", "The component is no longer built: projects that use it get no new version."],
  standalone: ["A stand-alone application is built (4D Volume Desktop merged with the project) for users to install.", "The stand-alone application is no longer built: its users get no new version."],
  server: ["A 4D Server application is built.", "The 4D Server application is no longer built: the server is not updated."],
  client: ["Client applications are built for users to connect to the server.", "Client applications are no longer built: users keep the clients they have."],
};

const RUNTIME: Record<string, string> = { standalone: "stand-alone application", server: "server", client: "client" };
const SYSTEM: Record<string, string> = { mac: "macOS", win: "Windows" };

/** The note of a change of signing.mac.identity, signing.mac.sign or signing.mac.adHoc, from the whole signing on each side. */
function signingNote(field: string, base: MacSigning, head: MacSigning): string | undefined {
  const [was, now] = [base.signedWith, head.signedWith];
  if (!was && now) return `The macOS applications are now signed with "${now}": users' Macs can tell who made them (downloaded copies also need notarization to open without a Gatekeeper warning).`;
  if (was && !now)
    return `The macOS applications are no longer signed with "${was}": Gatekeeper blocks them on users' Macs${head.adHoc ? "; they only get an ad-hoc signature (they run on Apple Silicon, not when downloaded)" : ", and without any signature they do not run on Apple Silicon Macs"}.`;
  if (was && now && was !== now) return `The macOS applications are signed with "${now}" instead of "${was}": users' Macs see another developer, and notarization must use that identity's team.`;
  if (was && now) return field === "signing.mac.adHoc" ? "No effect while the applications are signed with an identity: the ad-hoc signature is only used without one." : undefined;
  if (field === "signing.mac.adHoc") return head.adHoc ? "Applications without an identity get an ad-hoc signature: they run on Apple Silicon Macs, but Gatekeeper still blocks them when downloaded." : "Without any signature the applications do not run on Apple Silicon Macs.";
  if (head.identity && !head.sign) return `The macOS applications are still not signed: signing.mac.sign is false, so the identity "${head.identity}" is not used.`;
  if (base.identity && !base.sign) return "No change for users: the identity was not used (signing.mac.sign was false).";
  return undefined;
}

/**
 * What a change does to the people who run the built applications, in plain words (from the reference
 * documents), computed from the values on both sides. Matched by field; the first note that has something to
 * say wins.
 */
const NOTES: [RegExp, Note][] = [
  [/^4dVersion$/, (c) => `Built with 4D ${String(c.after)}: runtimes of exactly that version are required, and users need a matching 4D Server or clients.`],
  [/^name$/, () => "The applications are renamed: shortcuts break, data linked by application name is not found again, and plug-in end-user key files (named after the application) must be renamed."],
  [/^output\.(mac|win)$/, (c) => `The ${SYSTEM[c.field.slice(7)]} build goes to ${String(c.after)} instead of ${String(c.before)}: scripts and deployments that take the applications from the old folder must follow.`],
  [/^targets\.\w+\.enabled$/, (c) => TARGET[c.field.split(".")[1]!]?.[on(c.after) ? 0 : 1]],
  [
    /^targets\.(standalone|server|client)\.runtime\.(mac|win)$/,
    (c) => {
      const [, target, , platform] = c.field.split(".") as [string, string, string, string];
      const what = `the ${SYSTEM[platform]} ${RUNTIME[target]}`;
      if (c.after === undefined) return `No ${SYSTEM[platform]} runtime for the ${RUNTIME[target]} any more: ${what} cannot be built.`;
      return `${capital(what)} is built from ${c.before === undefined ? "this" : "another"} 4D runtime: users get the 4D version of that runtime, which must be the 4dVersion's.`;
    },
  ],
  [/^autoUpdate\.acceptedClientVersions\.min$/, (c) => (Number(c.after) > Number(c.before) ? `Raises the oldest client the server accepts to version ${String(c.after)}: every older client is refused and must update.` : `Clients from version ${String(c.after)} on are accepted again.`)],
  [/^autoUpdate\.acceptedClientVersions\.max$/, (c) => (Number(c.after) < Number(c.before) ? `Clients newer than version ${String(c.after)} are refused by the server.` : `Clients up to version ${String(c.after)} are accepted.`)],
  [/^autoUpdate\.currentVersion$/, (c) => `The built applications identify as version ${String(c.after)}; servers accept them only if that lies in their accepted range.`],
  [/^autoUpdate\.enabled$/, (c) => (on(c.after) ? "The server carries client update archives: clients outside the accepted range download the new version when they connect." : "Clients are no longer updated automatically: each one must be reinstalled by hand.")],
  [/^autoUpdate\.otherPlatformClient\.(mac|win)\.source$/, (c) => (c.after === undefined ? `The server no longer carries the ${SYSTEM[c.field.split(".")[2]!]} clients' update: they must be reinstalled by hand.` : `The server carries an update of the ${SYSTEM[c.field.split(".")[2]!]} clients, built from ${String(c.after)}.`)],
  [/^autoUpdate\.elevated\./, (c) => (on(c.after) ? "On Windows the update asks for administrator rights (UAC prompt)." : "On Windows the update runs with the user's rights.")],
  [
    /^modules\.exclude$/,
    (c) =>
      join(
        ...addedItems(c).map((m) => `Excluding ${m}: ${KNOWN_MODULES.find((k) => k.name.toLowerCase() === m.toLowerCase())?.effect ?? "features that rely on it stop working"}.`),
        ...removedItems(c).map((m) => `${m} is shipped again.`),
      ),
  ],
  [/^components\.exclude$/, (c) => join(...addedItems(c).map((x) => `${x} is no longer shipped: code that calls it fails at run time.`), ...removedItems(c).map((x) => `${x} is shipped again.`))],
  [/^plugins\.exclude(Ids)?$/, (c) => join(...addedItems(c).map((x) => `Plug-in ${x} is no longer shipped: its commands fail at run time.`), ...removedItems(c).map((x) => `Plug-in ${x} is shipped again.`))],
  [/^targets\.(standalone|server)\.dataLinking$/, (c) => `Data linking ${String(c.after)}: ${LINKING[String(c.after)] ?? ""}`],
  [/^targets\.server\.appleSiliconClients\.enabled$/, (c) => (on(c.after) ? "The Windows server uses a structure compiled on macOS: Apple Silicon Macs can connect to it as clients." : "The Windows server no longer carries a structure compiled for Apple Silicon: Apple Silicon clients cannot connect to it.")],
  [/^network\.linkCode$/, () => "Existing clients can no longer connect: the server only accepts clients built with the same link code."],
  [/^network\.serverAddress$/, (c) => (c.after === undefined ? "Clients look for the server by its publication name on the local network only." : `Clients connect to ${String(c.after)}.`)],
  [/^network\.port$/, (c) => `Clients connect on port ${String(c.after)}; the server must listen on that port (project settings).`],
  [/^network\.tls\./, () => "Clients validate the server's TLS certificate differently: a mismatch refuses the connection."],
  [/^structure\.pack$/, (c) => (c.after === false ? "The structure ships as a writable Project folder instead of a read-only .4DZ: the application can change its own structure, and so can anyone with access to its files." : "The structure ships read-only, packed in a .4DZ.")],
  [/^structure\.standardZip$/, (c) => (c.after === false ? "The .4DZ uses 4D's non-standard format, which only 4D can produce." : "The .4DZ is a standard zip.")],
  [/^signing\.mac\.(identity|sign|adHoc)$/, (c, s) => (s.base && s.head ? signingNote(c.field, s.base, s.head) : undefined)],
  [/^licenses\.mode$/, (c) => ({ none: "No licence is embedded: the applications run as demos until the user activates a licence at first launch.", evaluation: "Builds a time-limited evaluation application; it needs internet access at first launch.", automatic: "4D embeds whatever licences the build machine has (OEM first): what ships depends on that machine.", files: "The listed licence files are embedded." })[String(c.after)]],
  [/^licenses\.oem\./, (c) => (on(c.after) ? "OEM deployment licences are integrated." : "OEM deployment licences are no longer integrated: the application needs another licence.")],
  [/^targets\.server\.embedUsersAndGroups$/, (c) => (on(c.after) ? "The server ships the project's users and groups, read-only; changes go to Data/Settings/directory.json." : "The server no longer ships the project's users and groups.")],
  [/^targets\.server\.hideMenuItems\./, (c) => (on(c.after) ? "Hides that menu item of the server from its users." : "Shows that menu item of the server again.")],
  [/^targets\.server\.dataCollection$/, () => "Changes 4D's usage-data collection switch of the server (com.4d.dataCollection; its polarity is not documented by 4D)."],
  [/^targets\.server\.cacheFolderName$|^targets\.client\.cacheFolderName$/, () => "The applications use another cache folder: the first launch after the update starts with an empty cache."],
  [/^targets\.client\.singleInstance$/, (c) => (c.after === false ? "Several instances of the Windows client can run at once." : "Only one instance of the Windows client can run at a time.")],
  [/^targets\.client\.serverSelection$/, (c) => (on(c.after) ? "When the server cannot be reached, users can choose another server." : "When the server cannot be reached, users can only quit.")],
  [/^targets\.client\.userPreferencesByPath$/, () => "Duplicated clients keep their own preferences (and server) per copy: users' existing preferences are not found again."],
  [/^targets\.client\.shareLocalResources$/, () => "Windows clients store downloaded resources per machine (ProgramData) or per user (AppData): the first launch downloads them again."],
  [/^data\.filePath$/, () => "Fresh installations open another default data file."],
  [/^passthrough\./, () => "A raw buildApp.4DSettings key (passthrough): 4D's own builder reads it as written; 4dbuild neither checks nor applies it."],
];

const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The note of a change, given (when known) both sides' configurations. */
export function noteFor(change: FieldChange, base?: NoteSides, head?: NoteSides): string | undefined {
  const sides = { ...(base ? { base: macSigning(base.config) } : {}), ...(head ? { head: macSigning(head.config) } : {}) };
  for (const [pattern, note] of NOTES) if (pattern.test(change.field)) return note(change, sides);
  return undefined;
}
