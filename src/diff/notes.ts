import { KNOWN_MODULES } from "../four-d/modules.js";

/** A change of one manifest field: `before`/`after` are effective values (defaults applied). */
export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

type Note = (change: FieldChange) => string | undefined;

const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);
const addedItems = (c: FieldChange) => list(c.after).filter((x) => !list(c.before).includes(x));
const removedItems = (c: FieldChange) => list(c.before).filter((x) => !list(c.after).includes(x));
const join = (...parts: (string | undefined)[]) => parts.filter(Boolean).join(" ") || undefined;

const LINKING: Record<string, string> = {
  byAppPath: "a moved or renamed copy of the application no longer finds its data file and asks the user to select one; each copy keeps its own data file.",
  byAppName: "every copy of the application opens the data file last used by any copy with the same name.",
  inStructure: "the data file path is read from the structure (legacy mode).",
};

/**
 * What a change does to the people who run the built applications, in plain words (from the reference
 * documents). Matched by field; the first note that has something to say wins.
 */
const NOTES: [RegExp, Note][] = [
  [/^4dVersion$/, (c) => `Built with 4D ${String(c.after)}: runtimes of exactly that version are required, and users need a matching 4D Server or clients.`],
  [/^name$/, () => "The applications are renamed: shortcuts break, data linked by application name is not found again, and plug-in end-user key files (named after the application) must be renamed."],
  [/^autoUpdate\.acceptedClientVersions\.min$/, (c) => (Number(c.after) > Number(c.before) ? `Raises the oldest client the server accepts to version ${String(c.after)}: every older client is refused and must update.` : `Clients from version ${String(c.after)} on are accepted again.`)],
  [/^autoUpdate\.acceptedClientVersions\.max$/, (c) => (Number(c.after) < Number(c.before) ? `Clients newer than version ${String(c.after)} are refused by the server.` : `Clients up to version ${String(c.after)} are accepted.`)],
  [/^autoUpdate\.currentVersion$/, (c) => `The built applications identify as version ${String(c.after)}; servers accept them only if that lies in their accepted range.`],
  [/^autoUpdate\.enabled$/, (c) => (c.after ? "The server carries client update archives: clients outside the accepted range download the new version when they connect." : "Clients are no longer updated automatically: each one must be reinstalled by hand.")],
  [/^autoUpdate\.elevated\./, (c) => (c.after ? "On Windows the update asks for administrator rights (UAC prompt)." : "On Windows the update runs with the user's rights.")],
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
  [/^network\.linkCode$/, () => "Existing clients can no longer connect: the server only accepts clients built with the same link code."],
  [/^network\.serverAddress$/, (c) => (c.after === undefined ? "Clients look for the server by its publication name on the local network only." : `Clients connect to ${String(c.after)}.`)],
  [/^network\.port$/, (c) => `Clients connect on port ${String(c.after)}; the server must listen on that port (project settings).`],
  [/^network\.tls\./, () => "Clients validate the server's TLS certificate differently: a mismatch refuses the connection."],
  [/^structure\.pack$/, (c) => (c.after === false ? "The structure ships as a writable Project folder instead of a read-only .4DZ: the application can change its own structure, and so can anyone with access to its files." : "The structure ships read-only, packed in a .4DZ.")],
  [/^structure\.standardZip$/, (c) => (c.after === false ? "The .4DZ uses 4D's non-standard format, which only 4D can produce." : "The .4DZ is a standard zip.")],
  [/^signing\.mac\.(identity|sign)$/, (c) => (c.after === undefined || c.after === false ? "The macOS applications are no longer signed with a Developer ID: Gatekeeper blocks them on users' Macs." : "The macOS applications are signed with this identity.")],
  [/^signing\.mac\.adHoc$/, (c) => (c.after === false ? "Without any signature the applications do not run on Apple Silicon Macs." : "Applications without an identity get an ad-hoc signature (runs on Apple Silicon, still blocked by Gatekeeper when downloaded).")],
  [/^licenses\.mode$/, (c) => ({ none: "No licence is embedded: the applications run as demos until the user activates a licence at first launch.", evaluation: "Builds a time-limited evaluation application; it needs internet access at first launch.", automatic: "4D embeds whatever licences the build machine has (OEM first): what ships depends on that machine.", files: "The listed licence files are embedded." })[String(c.after)]],
  [/^licenses\.files\.(mac|win)$/, (c) => (removedItems(c).length > 0 ? "A licence file is no longer embedded: without a deployment licence the application is built as a demo." : "Another licence file is embedded.")],
  [/^licenses\.oem\./, (c) => (c.after ? "OEM deployment licences are integrated." : "OEM deployment licences are no longer integrated: the application needs another licence.")],
  [/^targets\.server\.embedUsersAndGroups$/, (c) => (c.after ? "The server ships the project's users and groups, read-only; changes go to Data/Settings/directory.json." : "The server no longer ships the project's users and groups.")],
  [/^targets\.server\.hideMenuItems\./, (c) => (c.after ? "Hides that menu item of the server from its users." : "Shows that menu item of the server again.")],
  [/^targets\.server\.dataCollection$/, () => "Changes 4D's usage-data collection switch of the server (com.4d.dataCollection; its polarity is not documented by 4D)."],
  [/^targets\.server\.cacheFolderName$|^targets\.client\.cacheFolderName$/, () => "The applications use another cache folder: the first launch after the update starts with an empty cache."],
  [/^targets\.client\.singleInstance$/, (c) => (c.after === false ? "Several instances of the Windows client can run at once." : "Only one instance of the Windows client can run at a time.")],
  [/^targets\.client\.serverSelection$/, (c) => (c.after ? "When the server cannot be reached, users can choose another server." : "When the server cannot be reached, users can only quit.")],
  [/^targets\.client\.userPreferencesByPath$/, () => "Duplicated clients keep their own preferences (and server) per copy: users' existing preferences are not found again."],
  [/^targets\.client\.shareLocalResources$/, () => "Windows clients store downloaded resources per machine (ProgramData) or per user (AppData): the first launch downloads them again."],
  [/^data\.filePath$/, () => "Fresh installations open another default data file."],
];

export function noteFor(change: FieldChange): string | undefined {
  for (const [pattern, note] of NOTES) if (pattern.test(change.field)) return note(change);
  return undefined;
}
