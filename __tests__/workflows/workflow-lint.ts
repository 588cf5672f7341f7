import { readFileSync } from "node:fs";
import path from "node:path";
import { Ajv, type ErrorObject } from "ajv";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";
import { COMMANDS } from "../../src/actions/inputs.js";
import { ROOT } from "../helpers.js";

/**
 * A lint of GitHub Actions workflows written for this project (examples/workflows/, .github/workflows/): SchemaStore's
 * workflow schema (vendor/schemastore/), then what a schema cannot see — the inputs given to 4dbuild's own action
 * against action.yml, and the references between jobs, steps and their outputs. Each problem is "file:line:col: text".
 */

const VENDOR = path.join(ROOT, "vendor", "schemastore");
const ajv = new Ajv({ strict: false, allErrors: true });
const workflowSchema = ajv.compile(JSON.parse(readFileSync(path.join(VENDOR, "github-workflow.json"), "utf8")) as object);
const actionSchema = ajv.compile(JSON.parse(readFileSync(path.join(VENDOR, "github-action.json"), "utf8")) as object);

interface ActionInput {
  description?: string;
  required?: boolean;
  default?: unknown;
}
export interface ActionMetadata {
  inputs: Record<string, ActionInput>;
  outputs: Record<string, { description?: string }>;
}

/** The keys of a `command: matrix` entry (src/release/matrix.ts MatrixEntry). */
const MATRIX_KEYS = ["os", "targets", "platforms", "name", "reason"];

type Segment = string | number;
type Json = Record<string, unknown>;

class Located {
  readonly problems: string[] = [];
  constructor(
    readonly file: string,
    readonly doc: Document,
    readonly lines: LineCounter,
  ) {}

  /** Reports at the value of `at`, or its key (the nearest ancestor that exists when it does not). */
  report(at: readonly Segment[], text: string, target: "key" | "value" = "value"): void {
    let node: unknown = this.doc.contents;
    let key: unknown;
    for (const segment of at) {
      const pair = isMap(node) ? node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === segment) : undefined;
      const next = pair ? pair.value : isSeq(node) ? node.get(segment as number, true) : undefined;
      if (pair === undefined && next === undefined) break;
      key = pair?.key;
      node = next;
    }
    const offset = ((target === "key" && key ? key : node) as Node | undefined)?.range?.[0] ?? 0;
    const { line, col } = this.lines.linePos(offset);
    this.problems.push(`${this.file}:${line}:${col}: ${text}`);
  }

  /** The problems in the order of the file. */
  sorted(): string[] {
    const place = (p: string) => (/:(\d+):(\d+): /.exec(p) ?? [0, 0, 0]).slice(1).map(Number) as [number, number];
    return [...this.problems].sort((a, b) => place(a)[0] - place(b)[0] || place(a)[1] - place(b)[1]);
  }
}

function parse(file: string, text: string): { value: unknown; where: Located } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const where = new Located(file, doc, lines);
  for (const error of doc.errors) where.problems.push(`${file}: YAML: ${error.message}`);
  return { value: doc.toJS(), where };
}

const pointer = (error: ErrorObject): Segment[] =>
  error.instancePath
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));

function schemaProblems(where: Located, errors: ErrorObject[] | null | undefined): void {
  // With oneOf/anyOf, Ajv reports every branch: only the deepest places are telling (a step's unknown key, not
  // "the job must match exactly one schema"), and one message per place.
  const all = errors ?? [];
  const deeper = (error: ErrorObject) => all.some((other) => other.instancePath.startsWith(`${error.instancePath}/`));
  const chosen = new Map<string, ErrorObject>();
  for (const error of all) if (!deeper(error) && !chosen.has(error.instancePath)) chosen.set(error.instancePath, error);
  for (const error of chosen.values()) {
    if (error.keyword === "additionalProperties") {
      const key = (error.params as { additionalProperty: string }).additionalProperty;
      where.report([...pointer(error), key], `schema: ${error.instancePath || "/"} has an unknown key "${key}"`, "key");
      continue;
    }
    const detail = error.keyword === "enum" ? ` (${(error.params as { allowedValues: unknown[] }).allowedValues.join(", ")})` : "";
    where.report(pointer(error), `schema: ${error.instancePath || "/"} ${error.message ?? error.keyword}${detail}`);
  }
}

const isOwnAction = (uses: unknown): boolean => typeof uses === "string" && (uses === "./" || uses === "." || /^4dbuild\/4dbuild@/.test(uses));
const expressions = (text: string): string[] => [...text.matchAll(/\$\{\{([\s\S]*?)\}\}/g)].map((m) => m[1]!);

/** Every string of a value with its path. */
function* strings(value: unknown, at: Segment[] = []): Generator<[string, Segment[]]> {
  if (typeof value === "string") yield [value, at];
  else if (Array.isArray(value)) for (const [i, item] of value.entries()) yield* strings(item, [...at, i]);
  else if (value && typeof value === "object") for (const [key, item] of Object.entries(value)) yield* strings(item, [...at, key]);
}

function checkJob(where: Located, jobs: Json, id: string, job: Json, action: ActionMetadata, env: Set<string>): void {
  const at = ["jobs", id];
  const needs = job.needs === undefined ? [] : Array.isArray(job.needs) ? (job.needs as string[]) : [job.needs as string];
  needs.forEach((need, i) => {
    if (!(need in jobs)) where.report([...at, "needs", ...(Array.isArray(job.needs) ? [i] : [])], `needs "${need}": no such job`);
  });
  const steps = (Array.isArray(job.steps) ? job.steps : []) as Json[];
  const stepIds = new Map(steps.flatMap((step) => (typeof step.id === "string" ? [[step.id, step] as const] : [])));
  const jobEnv = new Set([...env, ...Object.keys((job.env as Json | undefined) ?? {})]);
  const matrix = (job.strategy as Json | undefined)?.matrix;
  const ownMatrix = typeof matrix === "string" && /fromJSON\(\s*needs\.[\w-]+\.outputs\.matrix\s*\)/.test(matrix);

  const checkExpression = (expression: string, where_: Segment[], stepEnv: Set<string>) => {
    for (const m of expression.matchAll(/\bneeds\.([\w-]+)(?:\.outputs\.([\w-]+))?/g)) {
      const [, job_, output] = m;
      if (!needs.includes(job_!)) where.report(where_, `needs.${job_}: "${job_}" is not in this job's needs`);
      else if (output && !(output in (((jobs[job_!] as Json).outputs as Json | undefined) ?? {}))) where.report(where_, `needs.${job_}.outputs.${output}: job "${job_}" has no such output`);
    }
    for (const m of expression.matchAll(/\bsteps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
      const [, step, output] = m;
      const found = stepIds.get(step!);
      if (!found) where.report(where_, `steps.${step}: no step of job "${id}" has that id`);
      else if (isOwnAction(found.uses) && !(output! in action.outputs)) where.report(where_, `steps.${step}.outputs.${output}: not an output of action.yml (${Object.keys(action.outputs).join(", ")})`);
    }
    for (const m of expression.matchAll(/\benv\.([\w-]+)/g)) if (!stepEnv.has(m[1]!)) where.report(where_, `env.${m[1]} is not set in the workflow, the job or the step`);
    if (ownMatrix) for (const m of expression.matchAll(/\bmatrix\.([\w-]+)/g)) if (!MATRIX_KEYS.includes(m[1]!)) where.report(where_, `matrix.${m[1]}: a 4dbuild matrix entry has ${MATRIX_KEYS.join(", ")}`);
  };

  for (const [text, path_] of strings(job.outputs, [...at, "outputs"])) for (const e of expressions(text)) checkExpression(e, path_, jobEnv);
  for (const key of ["runs-on", "name", "if"]) for (const [text, path_] of strings(job[key], [...at, key])) for (const e of expressions(text)) checkExpression(e, path_, jobEnv);

  steps.forEach((step, i) => {
    const stepAt = [...at, "steps", i];
    const stepEnv = new Set([...jobEnv, ...Object.keys((step.env as Json | undefined) ?? {})]);
    for (const [text, path_] of strings(step, stepAt)) for (const e of expressions(text)) checkExpression(e, path_, stepEnv);
    if (typeof step.run === "string" && /\b(npx|npm\s+exec|pnpm\s+dlx|yarn\s+dlx)\b[^\n]*4dbuild/.test(step.run))
      where.report([...stepAt, "run"], "runs 4dbuild through npx: use the action's own command (uses: 4dbuild/4dbuild@v1 with command: …)");
    if (!isOwnAction(step.uses)) return;
    const given = (step.with as Json | undefined) ?? {};
    for (const key of Object.keys(given)) if (!(key in action.inputs)) where.report([...stepAt, "with", key], `with.${key}: not an input of action.yml`, "key");
    for (const [name, input] of Object.entries(action.inputs)) if (input.required && input.default === undefined && !(name in given)) where.report([...stepAt, "with"], `with.${name}: required by action.yml`, "key");
    const command = given.command;
    if (typeof command === "string" && !command.includes("${{") && !(COMMANDS as readonly string[]).includes(command)) where.report([...stepAt, "with", "command"], `command "${command}": not one of ${COMMANDS.join(", ")}`);
  });
}

/** Problems of one workflow file's text, each "file:line:col: text". */
export function lintWorkflow(file: string, text: string, action: ActionMetadata): string[] {
  const { value, where } = parse(file, text);
  if (!workflowSchema(value)) schemaProblems(where, workflowSchema.errors);
  const workflow = (value ?? {}) as Json;
  if (workflow.permissions === undefined) where.report([], "no top-level permissions: give the GITHUB_TOKEN only what the jobs need (contents: read, and more per job)");
  const jobs = (workflow.jobs as Json | undefined) ?? {};
  const env = new Set(Object.keys((workflow.env as Json | undefined) ?? {}));
  for (const [id, job] of Object.entries(jobs)) if (job && typeof job === "object") checkJob(where, jobs, id, job as Json, action, env);
  return where.sorted();
}

/** action.yml: SchemaStore's action schema, plus what the Marketplace page shows (author, branding, a description of each input and output). */
export function lintAction(file: string, text: string): { problems: string[]; metadata: ActionMetadata } {
  const { value, where } = parse(file, text);
  if (!actionSchema(value)) schemaProblems(where, actionSchema.errors);
  const metadata = value as ActionMetadata & { description?: string; branding?: object; author?: string };
  if (!metadata.author) where.report([], "no author: the Marketplace lists it");
  if (!metadata.branding) where.report([], "no branding: the Marketplace shows its icon and colour");
  for (const [kind, entries] of [["inputs", metadata.inputs], ["outputs", metadata.outputs]] as const)
    for (const [name, entry] of Object.entries(entries ?? {})) if (!entry?.description?.trim()) where.report([kind, name], `${kind}.${name} has no description`, "key");
  for (const [name, input] of Object.entries(metadata.inputs ?? {})) if (input.default !== undefined && typeof input.default !== "string") where.report(["inputs", name, "default"], `inputs.${name}.default: write it as a string (the runner passes text)`);
  return { problems: where.sorted(), metadata: { inputs: metadata.inputs ?? {}, outputs: metadata.outputs ?? {} } };
}
