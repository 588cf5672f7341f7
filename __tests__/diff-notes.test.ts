import { noteFor } from "../src/diff/notes.js";

/** The notes the reference asks for: what a change does to the people who run the built applications. */
test.each([
  ["autoUpdate.acceptedClientVersions.min", 1, 4, "Raises the oldest client the server accepts to version 4: every older client is refused and must update."],
  ["modules.exclude", [], ["CEF"], "Excluding CEF: web areas using the embedded engine and 4D View Pro areas stay blank."],
  ["modules.exclude", ["CEF"], ["CEF", "MeCab"], "Excluding MeCab: Japanese text indexes are rebuilt when the application runs in Japanese."],
  ["targets.standalone.dataLinking", "byAppName", "byAppPath", "Data linking byAppPath: a moved or renamed copy of the application no longer finds its data file and asks the user to select one; each copy keeps its own data file."],
  ["network.linkCode", "a", "b", "Existing clients can no longer connect: the server only accepts clients built with the same link code."],
  ["structure.pack", true, false, "The structure ships as a writable Project folder instead of a read-only .4DZ: the application can change its own structure, and so can anyone with access to its files."],
  ["signing.mac.identity", "Developer ID Application: X", undefined, "The macOS applications are no longer signed with a Developer ID: Gatekeeper blocks them on users' Macs."],
  ["licenses.files.win", ["a.license4D", "b.license4D"], ["a.license4D"], "A licence file is no longer embedded: without a deployment licence the application is built as a demo."],
  ["licenses.mode", "files", "none", "No licence is embedded: the applications run as demos until the user activates a licence at first launch."],
])("%s: %j → %j", (field, before, after, note) => {
  expect(noteFor({ field, before, after })).toBe(note);
});

test("a change without consequence for users has no note", () => {
  expect(noteFor({ field: "versioning.common.comment", before: "a", after: "b" })).toBeUndefined();
});
