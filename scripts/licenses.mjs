// The licence notices of the third-party packages a bundle contains, from esbuild's metafile: each package's
// name, version and licence, then the text of its own licence file in node_modules. The bundles drop the
// packages' comments (legalComments: "none"); this file keeps what their licences ask to be kept with copies.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const LICENCE_FILE = /^(licen[cs]e|copying|notice)(\.(md|txt|markdown))?$/i;

/** node_modules/a/node_modules/@s/b/x.js → node_modules/a/node_modules/@s/b: the folder of the package holding an input. */
function packageFolder(input) {
  const parts = input.split("/");
  const at = parts.lastIndexOf("node_modules");
  if (at < 0) return undefined;
  const length = parts[at + 1]?.startsWith("@") ? 3 : 2;
  return parts.slice(0, at + length).join("/");
}

/** The licence section of a package's README ("# License" … up to the next heading), for packages without a licence file. */
function readmeLicence(folder) {
  for (const name of readdirSync(folder).filter((n) => /^readme(\.|$)/i.test(n)).sort()) {
    const text = readFileSync(path.join(folder, name), "utf8").replace(/\r\n?/g, "\n");
    const match = /^(#+)\s*licen[cs]e\b.*\n([\s\S]*?)(?=^#|(?![\s\S]))/im.exec(text) ?? /^licen[cs]e\n[=-]+\n([\s\S]*?)(?=^\S.*\n[=-]+\n|(?![\s\S]))/im.exec(text);
    const section = match?.[match.length - 1]?.trim();
    if (section) return `(from ${name})\n${section}`;
  }
  return undefined;
}

function notice(folder) {
  const pkg = JSON.parse(readFileSync(path.join(folder, "package.json"), "utf8"));
  const licence = typeof pkg.license === "string" ? pkg.license : (pkg.license?.type ?? pkg.licenses?.map((l) => l.type ?? l).join(" OR ") ?? "UNKNOWN");
  const files = readdirSync(folder).filter((name) => LICENCE_FILE.test(name)).sort();
  const texts = files.map((name) => readFileSync(path.join(folder, name), "utf8").replace(/\r\n?/g, "\n").trim());
  const body = texts.length ? texts.join("\n\n") : (readmeLicence(folder) ?? `(no licence file or section in the package; its package.json says ${licence})`);
  return { id: `${pkg.name}@${pkg.version}`, text: `${pkg.name}@${pkg.version} — ${licence}${pkg.repository ? `\n${typeof pkg.repository === "string" ? pkg.repository : pkg.repository.url}` : ""}\n\n${body}\n` };
}

/** The notices text of every package whose code is in `metafile`'s outputs. */
export function licenceNotices(metafile, title) {
  const folders = new Set();
  for (const output of Object.values(metafile.outputs))
    for (const input of Object.keys(output.inputs)) {
      const folder = packageFolder(input);
      if (folder && existsSync(path.join(folder, "package.json"))) folders.add(folder);
    }
  const notices = [...new Map([...folders].map((folder) => notice(folder)).map((n) => [n.id, n])).values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const rule = "-".repeat(78);
  return `${title}\n\nThis file lists the ${notices.length} third-party packages bundled into it, each with its licence.\n\n${notices.map((n) => `${rule}\n${n.text}`).join("\n")}`;
}
