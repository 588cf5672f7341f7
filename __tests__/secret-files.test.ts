import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { licensesFolder, parseSecretFiles, removeSecretFiles, writeSecretFiles } from "../src/actions/secret-files.js";
import { tempDir } from "./helpers.js";

test("licences are installed into 4D's Licenses folder, an already installed one is left alone, and clean-up removes only what was added", () => {
  const root = tempDir("secret-files");
  const licenses = path.join(root, "Licenses");
  mkdirSync(licenses);
  writeFileSync(path.join(licenses, "4DDP210UUS001PREINSTALLED.license4D"), "runner's own");
  const b64 = (s: string) => Buffer.from(s).toString("base64");
  const text = `DEV=4DDP210UUS001PREINSTALLED.license4D:${b64("from secret")}\nDEPLOY=4UUD210UUS001ADDED.license4D:${b64("deployment")}\nCERT=signing.p12:${b64("p12")}`;
  const written = writeSecretFiles(text, root, { installLicenses: true, licenses });
  expect(readFileSync(written.variables.DEPLOY!, "utf8")).toBe("deployment");
  expect(readFileSync(path.join(licenses, "4UUD210UUS001ADDED.license4D"), "utf8")).toBe("deployment");
  expect(existsSync(path.join(licenses, "signing.p12"))).toBe(false);
  removeSecretFiles(written.files, written.folder);
  expect(existsSync(path.join(licenses, "4UUD210UUS001ADDED.license4D"))).toBe(false);
  expect(readFileSync(path.join(licenses, "4DDP210UUS001PREINSTALLED.license4D"), "utf8")).toBe("runner's own");
  expect(existsSync(written.folder)).toBe(false);
});

test("a malformed line is refused by its number, without quoting it", () => {
  expect(() => parseSecretFiles("GOOD=a.p12:QUJD\nnot a secret line with SECRET-VALUE")).toThrow(/^secret-files line 2 is not VARIABLE=file-name:base64$/);
});

test("4D's Licenses folder per platform (licenses-and-ci.md §1.5)", () => {
  expect(licensesFolder("darwin")).toMatch(/Library\/Application Support\/4D\/Licenses$/);
  expect(licensesFolder("win32", { ProgramData: "C:\\ProgramData" })).toBe(path.join("C:\\ProgramData", "4D", "Licenses"));
  expect(licensesFolder("linux")).toBeUndefined();
});
