import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { BUILDAPP_KEYS, UNDOCUMENTED_KEYS } from "../src/generator/keys.js";
import { loadManifest } from "../src/manifest/load.js";
import { manifestReferenceMarkdown } from "../src/manifest/reference.js";
import { eachSchemaNode, fourDKeysOf } from "../src/manifest/schema-walk.js";
import { ANNOTATIONS, createAjv } from "../scripts/manifest-ajv.mjs";
import { ROOT } from "./helpers.js";

const schema = JSON.parse(readFileSync(path.join(ROOT, "schema", "4dbuild.schema.json"), "utf8")) as Record<string, unknown>;

test("the schema is valid against the JSON Schema 2020-12 meta-schema", () => {
  const ajv = new Ajv2020({ strict: false });
  expect(ajv.validateSchema(schema)).toBe(true);
  expect(ajv.errors ?? null).toBeNull();
  expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
});

test("the schema compiles in ajv's strict mode, knowing only our annotations", () => {
  expect(() => createAjv().compile(schema)).not.toThrow();
  const used = new Set(JSON.stringify(schema).match(/"x-[a-z0-9-]+"/g)?.map((s) => s.slice(1, -1)));
  expect([...used].sort()).toEqual([...ANNOTATIONS].sort());
});

test("every property has a description and every object forbids unknown keys", () => {
  for (const { path: at, schema: node } of eachSchemaNode()) {
    if (at.length > 0) expect({ at, description: typeof node.description }).toEqual({ at, description: "string" });
    if (node.properties) expect({ at, additionalProperties: node.additionalProperties }).toEqual({ at, additionalProperties: false });
  }
});

test("the generated schema module and TypeScript types match the schema", () => {
  expect(() => execFileSync("node", ["scripts/codegen.mjs", "--check"], { cwd: ROOT, stdio: "pipe" })).not.toThrow();
});

test("every buildApp.4DSettings key of the reference is driven by a manifest field, and no field names an unknown key", () => {
  const driven = new Set<string>();
  for (const { path: at, schema: node } of eachSchemaNode()) for (const key of fourDKeysOf(at, node)) driven.add(key);
  expect(BUILDAPP_KEYS.filter((key) => !driven.has(key))).toEqual([]);
  expect([...driven].filter((key) => !BUILDAPP_KEYS.includes(key))).toEqual([]);
  expect(UNDOCUMENTED_KEYS.filter((key) => driven.has(key))).toEqual([]);
});

test("every example manifest validates", () => {
  const examples = path.join(ROOT, "examples");
  const manifests = readdirSync(examples, { recursive: true, encoding: "utf8" }).filter((f) => /^4dbuild(\.[\w-]+)?\.yml$/.test(path.basename(f))).map((f) => path.join("examples", f));
  expect(manifests.length).toBeGreaterThan(0);
  for (const file of manifests) {
    const { diagnostics, plan } = loadManifest(path.join(ROOT, file), { env: {} });
    expect({ file, diagnostics }).toEqual({ file, diagnostics: [] });
    expect(plan).toBeDefined();
  }
});

test("docs/manifest-reference.md is the current field reference", () => {
  const doc = readFileSync(path.join(ROOT, "docs", "manifest-reference.md"), "utf8");
  expect(doc.endsWith(manifestReferenceMarkdown())).toBe(true);
});
