import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { compareNames, walkTree } from "../../src/files/tree.js";
import { tempDir } from "../helpers.js";

test("names compare in the byte order of their UTF-8, characters above U+FFFF included", () => {
  const alphabet = ["a", "b", "-", "/", ".", "é", "\u00ff", "\u0800", "\ud7ff", "\ue000", "\uffff", "\ud83d\ude00", "\ud800\udc00", "\udbff\udfff"];
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const names = Array.from({ length: 400 }, () => Array.from({ length: Math.floor(random() * 5) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(""));
  const wrong = names.flatMap((a) => names.slice(0, 60).filter((b) => Math.sign(compareNames(a, b)) !== Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b)))).map((b) => [a, b]));
  expect(wrong).toEqual([]);
  expect(names.filter((name) => /[\ud800-\udfff]/.test(name)).length).toBeGreaterThan(50);
});

test("a link followed is known by its real place: a link back up inside it is a loop", async () => {
  const root = path.join(tempDir("tree"), "Project");
  mkdirSync(path.join(root, "a"), { recursive: true });
  mkdirSync(path.join(root, "b", "c"), { recursive: true });
  writeFileSync(path.join(root, "b", "c", "file"), "x");
  symlinkSync("../b", path.join(root, "a", "link"));
  const entries = (await walkTree(root)).map((e) => `${e.kind} ${e.relative}`);
  expect(entries).toEqual(["directory a", "directory a/link", "directory a/link/c", "file a/link/c/file", "directory b", "directory b/c", "file b/c/file"]);
  symlinkSync("..", path.join(root, "b", "c", "up"));
  await expect(walkTree(root)).rejects.toThrow(/a\/link\/c\/up is a symbolic link back to .*Project\/b, a folder it is inside/);
});

test("a big tree is walked a few hundred entries per turn of the event loop", async () => {
  const root = tempDir("tree-turns");
  for (let i = 0; i < 40; i++) {
    mkdirSync(path.join(root, `d${i}`));
    for (let j = 0; j < 20; j++) writeFileSync(path.join(root, `d${i}`, `f${j}`), "");
  }
  let turned = false;
  setImmediate(() => (turned = true));
  const entries = await walkTree(root);
  expect(entries).toHaveLength(840);
  expect(turned).toBe(true);
});
