// The ajv that compiles the manifest schema, shared by scripts/codegen.mjs (which writes its standalone code,
// src/manifest/validator.generated.ts) and the schema tests: all errors, strict, no coercion, no defaults
// (normalize applies them), and the schema's own annotation keywords.
import { Ajv2020 } from "ajv/dist/2020.js";

export const ANNOTATIONS = ["x-path", "x-path-keywords", "x-extension", "x-since", "x-4d-keys", "x-4d-suffix", "x-format-hint", "x-derived-default", "x-settings-only", "x-secret"];

export function createAjv(extra = {}) {
  const ajv = new Ajv2020({ allErrors: true, strict: true, verbose: true, allowUnionTypes: true, ...extra });
  for (const keyword of ANNOTATIONS) ajv.addKeyword({ keyword, schemaType: ["string", "array", "boolean"] });
  return ajv;
}
