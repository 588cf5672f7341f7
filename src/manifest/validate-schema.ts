import type { ErrorObject } from "ajv/dist/2020.js";
import type { Diagnostic } from "../messages/diagnostics.js";
import { redactUrlsIn } from "../messages/urls.js";
import { closest, quoteList } from "../messages/text.js";
import { LIMITS } from "./limits.js";
import { validate } from "./validator.generated.js";
import type { SchemaNode } from "./schema-walk.js";
import { diagnosticAt, displayPath, fromPointer, type ManifestSource, type PathSegment } from "./source.js";

/** Masks secrets in a value quoted by a message; before it is cut short (a cut secret no longer matches). */
type Redact = (text: string) => string;

function describe(value: unknown, redact: Redact): string {
  if (value === null) return "empty";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `the text "${short(redact(redactUrlsIn(value)))}"`;
  if (typeof value === "boolean") return String(value);
  return `the number ${String(value)}`;
}

const short = (text: string) => (text.length > 60 ? `${text.slice(0, 57)}…` : text);

const EXPECTED: Record<string, string> = {
  object: "a mapping of keys",
  array: "a list",
  string: "text",
  integer: "a whole number",
  number: "a number",
  boolean: "true or false",
};

function typeHint(expected: string, value: unknown, key: string): string | undefined {
  if (expected === "object" && value === null) return `write "${key}: {}" to use the defaults, or indent its settings below it`;
  if (expected === "string" && (typeof value === "number" || typeof value === "boolean")) return `quote it: ${key}: "${String(value)}"`;
  if (expected === "array" && (typeof value === "string" || typeof value === "number")) return `write a list: ${key}: [${String(value)}]`;
  if (expected === "boolean" && typeof value === "string") return `write true or false, without quotes`;
  if (expected === "integer" && typeof value === "string" && /^\d+$/.test(value)) return `remove the quotes: ${key}: ${value}`;
  return undefined;
}

function translate(source: ManifestSource, error: ErrorObject, redact: Redact): Diagnostic {
  const path: PathSegment[] = fromPointer(error.instancePath);
  const where = displayPath(path) || "the manifest";
  const key = String(path.at(-1) ?? "");
  const parent = (error.parentSchema ?? {}) as SchemaNode & { required?: string[]; minimum?: number; maximum?: number; minLength?: number; maxLength?: number };
  const params = error.params as Record<string, unknown>;
  const error_ = (message: string, hint?: string, at: PathSegment[] = path, target: "key" | "value" = "value") =>
    diagnosticAt(source, at, { severity: "error", code: error.keyword === "additionalProperties" ? "unknown-key" : codeFor(error.keyword), message, ...(hint ? { hint } : {}) }, target);

  switch (error.keyword) {
    case "additionalProperties": {
      const unknown = String(params.additionalProperty);
      const allowed = Object.keys(parent.properties ?? {});
      const guess = closest(unknown, allowed);
      return error_(`unknown key "${unknown}" in ${where}`, guess ? `did you mean "${guess}"?` : `allowed keys: ${quoteList(allowed)}`, [...path, unknown], "key");
    }
    case "required": {
      const missing = String(params.missingProperty);
      const description = parent.properties?.[missing]?.description;
      return error_(`${where} is missing the required key "${missing}"`, description ? `${missing}: ${description}` : undefined, path, "key");
    }
    case "type": {
      const types = String(params.type).split(",");
      const expected = types[0]!;
      return error_(`${where} must be ${types.map((type) => EXPECTED[type] ?? type).join(" or ")}, not ${describe(error.data, redact)}`, typeHint(expected, error.data, key));
    }
    case "enum": {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const guess = typeof error.data === "string" ? closest(error.data, allowed) : undefined;
      return error_(`${where}: ${describe(error.data, redact)} is not allowed`, `${guess ? `did you mean "${guess}"? ` : ""}allowed values: ${quoteList(allowed)}`);
    }
    case "const":
      return error_(`${where} must be ${JSON.stringify(params.allowedValue)}, not ${describe(error.data, redact)}`, key === "version" ? "this is version 1 of the 4dbuild.yml format: write version: 1" : undefined);
    case "pattern":
      return error_(`${where}: ${describe(error.data, redact)} is not in the expected form`, parent["x-format-hint"]);
    case "propertyNames":
      return error_(`"${String(params.propertyName)}" is not a valid key in ${where}`, ((parent as { propertyNames?: SchemaNode }).propertyNames ?? {})["x-format-hint"], [...path, String(params.propertyName)], "key");
    case "minimum":
      return error_(`${where} must be at least ${String(params.limit)}, not ${String(error.data)}`);
    case "maximum":
      return error_(`${where} must be at most ${String(params.limit)}, not ${String(error.data)}`);
    case "minLength":
      return error_(params.limit === 1 ? `${where} must not be empty` : `${where} must be at least ${String(params.limit)} characters long`);
    case "maxLength":
      return error_(`${where} is ${String((error.data as string).length)} characters long; at most ${String(params.limit)} are allowed`);
    case "minItems":
      return error_(`${where} must list at least ${String(params.limit)} item${params.limit === 1 ? "" : "s"}`);
    case "uniqueItems": {
      const [earlier, later] = [Number(params.i), Number(params.j)].sort((a, b) => a - b);
      return error_(`${where}[${later}] repeats ${where}[${earlier}]`, "remove the duplicate", [...path, later!]);
    }
    case "minProperties":
      return error_(`${where} must declare at least ${String(params.limit)} entry`, parent.properties ? `choose among: ${quoteList(Object.keys(parent.properties))}` : undefined);
    case "anyOf":
      return error_(`${where} must be text or a list of text, not ${describe(error.data, redact)}`);
    default:
      return error_(`${where} ${error.message ?? "is invalid"}`);
  }
}

function codeFor(keyword: string): string {
  const codes: Record<string, string> = {
    required: "missing-key",
    type: "wrong-type",
    enum: "not-allowed",
    const: "not-allowed",
    pattern: "bad-format",
    propertyNames: "bad-format",
    minimum: "out-of-range",
    maximum: "out-of-range",
    minLength: "empty-value",
    maxLength: "too-long",
    minItems: "empty-list",
    uniqueItems: "duplicate-item",
    minProperties: "empty-mapping",
  };
  return codes[keyword] ?? "invalid";
}

/** Checks the resolved manifest against the JSON Schema; each error is located and reworded for people. */
export function validateAgainstSchema(source: ManifestSource, value: unknown, skip: ReadonlySet<string> = new Set(), redactor?: { redact: Redact }): Diagnostic[] {
  const redact: Redact = redactor ? (text) => redactor.redact(text) : (text) => text;
  // validate is the schema compiled ahead of time by scripts/codegen.mjs (options in scripts/manifest-ajv.mjs).
  if (validate(value)) return [];
  // Errors inside anyOf/propertyNames branches repeat what the parent error says better; values whose
  // references failed are reported already.
  const errors = (validate.errors ?? []).filter((e) => !/\/(anyOf|propertyNames)\//.test(e.schemaPath) && !skip.has(e.instancePath));
  // One message per value: the first keyword that fails says the most (e.g. "empty" before "bad form").
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  // Unknown keys: the first ones of each mapping one by one, then a count (each message costs a search of its mapping).
  const unknown = new Map<string, { count: number; firstUnlisted?: string }>();
  for (const error of errors) {
    if (error.keyword === "additionalProperties") {
      const seenHere = unknown.get(error.instancePath) ?? { count: 0 };
      unknown.set(error.instancePath, seenHere);
      if (++seenHere.count > LIMITS.unknownKeysShown) {
        seenHere.firstUnlisted ??= String((error.params as { additionalProperty: string }).additionalProperty);
        continue;
      }
    }
    const d = translate(source, error, redact);
    const perKey = error.keyword === "required" || error.keyword === "additionalProperties";
    const id = perKey ? `${d.pointer}:${d.message}` : String(d.pointer);
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(d);
  }
  for (const [pointer, { count, firstUnlisted }] of unknown) {
    if (firstUnlisted === undefined) continue;
    const at = fromPointer(pointer);
    const more = count - LIMITS.unknownKeysShown;
    const message = `${more} more unknown key${more === 1 ? "" : "s"} in ${displayPath(at) || "the manifest"}, from here (${count} in all; the first ${LIMITS.unknownKeysShown} are listed)`;
    out.push(diagnosticAt(source, [...at, firstUnlisted], { severity: "error", code: "unknown-key", message, hint: "is this the right file? remove the keys 4dbuild does not know" }, "key"));
  }
  return out;
}
