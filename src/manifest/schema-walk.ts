import { manifestSchema } from "./schema.generated.js";
import type { PathSegment } from "./source.js";

/** A node of the manifest schema, with the 4dbuild annotations (x-…) used by the rules and the docs. */
export interface SchemaNode {
  type?: string | string[];
  description?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  items?: SchemaNode;
  enum?: readonly unknown[];
  $ref?: string;
  default?: unknown;
  "x-path"?: "file" | "folder" | "file-or-folder" | "output";
  /** Values of an x-path field that are keywords, not paths (compile.tool4d: auto). */
  "x-path-keywords"?: readonly string[];
  "x-extension"?: string;
  "x-since"?: string;
  "x-4d-keys"?: readonly string[];
  "x-4d-suffix"?: string;
  "x-format-hint"?: string;
  /** The default is computed from other values (the text says how). */
  "x-derived-default"?: string;
  /** Secret by kind, whatever its origin (licence files: their names hold the licence number): masked in every output. */
  "x-secret"?: boolean;
  /** The field only reaches buildApp.4DSettings: 4dbuild build does not act on it (the text says why). */
  "x-settings-only"?: string;
}

export const rootSchema = manifestSchema as unknown as SchemaNode & { $defs: Record<string, SchemaNode> };

const dereferenced = new WeakMap<SchemaNode, SchemaNode>();

/** Follows a local $ref ("#/$defs/x"), keeping the annotations written beside it. The schema is read-only: one answer per node. */
export function deref(node: SchemaNode): SchemaNode {
  if (!node.$ref) return node;
  let target = dereferenced.get(node);
  if (!target) {
    const { $ref: ref, ...siblings } = node;
    target = { ...rootSchema.$defs[ref.replace("#/$defs/", "")], ...siblings };
    dereferenced.set(node, target);
  }
  return target;
}

export interface SchemaVisit {
  path: PathSegment[];
  value: unknown;
  schema: SchemaNode;
}

/**
 * Every value of `data` that the schema describes, paired with its schema node (depth first, document order).
 * A plain recursion into a list: nested generators passed every visit up through each level (a validate spent
 * more time there than in its YAML, and V8 then optimised the walk on a background thread the exit waited for).
 */
export function walkWithSchema(data: unknown, schema: SchemaNode = rootSchema): SchemaVisit[] {
  const visits: SchemaVisit[] = [];
  const visit = (value: unknown, at: SchemaNode, path: PathSegment[]): void => {
    const node = deref(at);
    visits.push({ path, value, schema: node });
    if (Array.isArray(value)) {
      if (node.items) for (let i = 0; i < value.length; i++) visit(value[i], node.items, [...path, i]);
    } else if (value !== null && typeof value === "object") {
      const free = typeof node.additionalProperties === "object" ? node.additionalProperties : undefined;
      for (const key of Object.keys(value)) {
        const child = node.properties?.[key] ?? free;
        if (child) visit((value as Record<string, unknown>)[key], child, [...path, key]);
      }
    }
  };
  visit(data, schema, []);
  return visits;
}

/** The schema node describing `path`, if any. */
export function schemaAt(path: readonly PathSegment[]): SchemaNode | undefined {
  let node: SchemaNode | undefined = deref(rootSchema);
  for (const segment of path) {
    if (!node) return undefined;
    const next: SchemaNode | undefined = typeof segment === "number" ? node.items : (node.properties?.[segment] ?? (typeof node.additionalProperties === "object" ? node.additionalProperties : undefined));
    node = next ? deref(next) : undefined;
  }
  return node;
}

/** Every node of the schema itself, with the manifest path it describes ("*" for list items and free keys). */
export function* eachSchemaNode(schema: SchemaNode = rootSchema, path: PathSegment[] = []): Generator<{ path: PathSegment[]; schema: SchemaNode }> {
  const node = deref(schema);
  yield { path, schema: node };
  for (const [key, child] of Object.entries(node.properties ?? {})) yield* eachSchemaNode(child, [...path, key]);
  if (node.items) yield* eachSchemaNode(node.items, [...path, "*"]);
}

/** versioning.<subset> → the element names 4D uses for it (Versioning/<Subset>/<Subset><Suffix>). */
export const VERSIONING_SUBSETS: Readonly<Record<string, string>> = { common: "Common", standalone: "RuntimeVL", server: "Server", client: "Client" };

/** The buildApp.4DSettings keys a schema node drives (paths below BuildApp). */
export function fourDKeysOf(path: readonly PathSegment[], schema: SchemaNode): readonly string[] {
  const suffix = schema["x-4d-suffix"];
  const subset = VERSIONING_SUBSETS[String(path[1])];
  if (suffix && path[0] === "versioning" && subset) return [`Versioning/${subset}/${subset}${suffix}`];
  return schema["x-4d-keys"] ?? [];
}
