import { eachSchemaNode, fourDKeysOf, type SchemaNode } from "./schema-walk.js";
import { displayPath } from "./source.js";

function typeOf(node: SchemaNode): string {
  if (node.enum) return node.enum.map((v) => `\`${String(v)}\``).join(", ");
  if ("const" in node) return `\`${String((node as { const: unknown }).const)}\``;
  if (node["x-path"]) {
    const kind = node["x-path"] === "output" ? "folder path (created)" : `${node["x-path"].replace(/-/g, " ")} path${node["x-extension"] ? ` (${node["x-extension"]})` : ""}`;
    const keywords = (node["x-path-keywords"] ?? []).map((k) => ` or \`${k}\``).join("");
    return `${kind}${keywords}${Array.isArray(node.type) && node.type.includes("object") ? ", or mapping" : ""}`;
  }
  if (node.type === "array") return node.items ? `list of ${typeOf(node.items)}` : "list";
  if (node.type === "object") return node.properties ? "mapping" : "mapping of keys to text or lists";
  return String(node.type ?? "");
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/</g, "&lt;").replace(/\n/g, " ");

/** The manifest field reference as a Markdown table, generated from the schema. */
export function manifestReferenceMarkdown(): string {
  const rows = ["| field | type | default | buildApp.4DSettings key(s) | since 4D | description |", "|---|---|---|---|---|---|"];
  for (const { path, schema } of eachSchemaNode()) {
    if (path.length === 0 || path.at(-1) === "*") continue;
    const keys = fourDKeysOf(path, schema).map((k) => `\`${k}\``).join("<br>");
    const defaultValue = schema.default === undefined ? "" : `\`${JSON.stringify(schema.default)}\``;
    rows.push(`| \`${displayPath(path)}\` | ${cell(typeOf(schema))} | ${defaultValue} | ${keys} | ${schema["x-since"] ?? ""} | ${cell(schema.description ?? "")} |`);
  }
  return `${rows.join("\n")}\n`;
}
