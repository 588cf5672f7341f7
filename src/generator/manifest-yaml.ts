import { Document, isMap, isScalar, Scalar, type Pair } from "yaml";
import { escapeReferences } from "../manifest/resolve.js";
import { deref, rootSchema, type SchemaNode } from "../manifest/schema-walk.js";
import { setField } from "./bindings.js";
import type { ImportResult } from "./import.js";

const SCHEMA_URL = "https://raw.githubusercontent.com/4dbuild/4dbuild/main/schema/4dbuild.schema.json";

/** Keys of every mapping in the order the schema declares them, as a person would write them. */
function inSchemaOrder(value: unknown, schema: SchemaNode): unknown {
  const node = deref(schema);
  if (Array.isArray(value)) return value.map((item) => (node.items ? inSchemaOrder(item, node.items) : item));
  if (value === null || typeof value !== "object" || !node.properties) return value;
  const declared = Object.keys(node.properties);
  const keys = Object.keys(value).sort((a, b) => (declared.indexOf(a) + 1 || Infinity) - (declared.indexOf(b) + 1 || Infinity));
  return Object.fromEntries(keys.map((k) => [k, inSchemaOrder((value as Record<string, unknown>)[k], node.properties![k] ?? {})]));
}

function literal(value: unknown): unknown {
  if (typeof value === "string") return escapeReferences(value);
  if (Array.isArray(value)) return value.map(literal);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, literal(item)]));
  return value;
}

/** The imported manifest as commented YAML, machine paths replaced by ${env.NAME}. */
export function importedManifestYaml(result: ImportResult, settingsFile: string): string {
  // Text read from the file is literal: a ${…} in it must not become a reference (to a secret, say).
  const manifest = literal(result.manifest) as Record<string, unknown>;
  for (const [field, name] of result.references) setField(manifest, field, `\${env.${name}}`);
  const ordered = inSchemaOrder(manifest, rootSchema);

  const doc = new Document(ordered);
  const header = [
    ` yaml-language-server: $schema=${SCHEMA_URL}`,
    "",
    ` Imported by 4dbuild from ${settingsFile} (${result.sameOnBothHosts ? "nothing in it depends on the system it was written on" : `written on ${result.host === "mac" ? "macOS" : "Windows"}`}).`,
    ` Check it with: 4dbuild validate. Write the settings file back with: 4dbuild generate --host ${result.sameOnBothHosts ? "mac|win" : result.host}`,
  ];
  if (result.variables.length > 0) {
    header.push("", " The original file held paths of the build machine; they now come from environment variables:");
    for (const v of result.variables) header.push(`   ${v.name}=${v.sensitive ? `<path of the licence file for ${v.fields.join(", ")}${v.asWritten ? ", as 4D writes it" : ""}>` : v.value}`);
  }
  doc.commentBefore = header.join("\n");
  if (isMap(doc.contents)) {
    // Always quoted, as the docs advise: an unquoted 21 or 20.3 would be read as a number.
    const version = doc.contents.items.find((pair: Pair) => isScalar(pair.key) && pair.key.value === "4dVersion");
    if (version && isScalar(version.value)) version.value.type = Scalar.QUOTE_DOUBLE;
    const passthrough = doc.contents.items.find((pair: Pair) => isScalar(pair.key) && pair.key.value === "passthrough");
    if (passthrough && isScalar(passthrough.key))
      passthrough.key.commentBefore = " Kept exactly as the original file wrote them: empty elements, combinations the fields above\n cannot express, and keys 4dbuild does not know. 4dbuild writes them back as they are.";
  }
  return doc.toString({ lineWidth: 0 });
}
