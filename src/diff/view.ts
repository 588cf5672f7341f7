import { getField, setField } from "../generator/bindings.js";
import { fileName } from "../four-d/license-names.js";
import type { ReadonlyBuildPlan, ResolvedConfig } from "../manifest/plan.js";
import { PLATFORMS, type Platform } from "../manifest/targets.js";

/** One side of a comparison: a resolved plan, with what is known of the values read from the environment. */
export interface ComparedSide {
  plan: ReadonlyBuildPlan;
  /**
   * field (dotted, list items by index) → the reference its value comes from, `${env.NAME}`: the variables an
   * imported settings file's machine paths were given, and the references a review kept unresolved.
   */
  refs: ReadonlyMap<string, string>;
  /** Fields whose value in the plan is the reference text itself (unset on this machine). */
  kept: ReadonlySet<string>;
}

/**
 * A side as compared with another: its configuration with the values that cannot be compared as values (one
 * side does not know it) replaced by their references, and licence files replaced by their place in the list.
 */
export interface SideView {
  plan: ReadonlyBuildPlan;
  config: ResolvedConfig;
  /** Fields whose value is a reference or a mask, written as they are into the settings file. */
  literal: Set<string>;
  /** Licence lists by platform, masked (`licenses.files.mac[0]`). */
  licences: Record<Platform, string[]>;
}

export const asSide = (side: ReadonlyBuildPlan | ComparedSide): ComparedSide => ("plan" in side ? side : { plan: side, refs: new Map(), kept: new Set() });

export const LICENCE_KEY: Readonly<Record<Platform, string>> = { mac: "Licenses/ArrayLicenseMac", win: "Licenses/ArrayLicenseWin" };

/** The licence files of a platform: the field's list, else a list kept in passthrough, with where each item is. */
function licenceItems(config: ResolvedConfig, platform: Platform): { value: string; field: string }[] {
  const listed = config.licenses.files?.[platform] ?? [];
  if (listed.length > 0) return listed.map((value, i) => ({ value, field: `licenses.files.${platform}.${i}` }));
  const kept = config.passthrough?.[LICENCE_KEY[platform]];
  return Array.isArray(kept) ? kept.map((value: string, i) => ({ value, field: `passthrough.${LICENCE_KEY[platform]}.${i}` })) : [];
}

/** A licence file compared by its name (the same file written as an HFS, Windows or POSIX path), or its reference. */
const identity = (value: string) => (value.startsWith("${") ? value : fileName(value));

/**
 * Licence file names hold the licence number: each is shown as its place, `licenses.files.mac[0]`. A file of the
 * head that the base has too keeps the base's label; another file at a place the base used says so.
 */
function licenceLabels(base: string[], head: string[], platform: Platform): [string[], string[]] {
  const label = (i: number) => `licenses.files.${platform}[${i}]`;
  const baseLabels = base.map((_, i) => label(i));
  const headLabels = head.map((value, j) => {
    const same = base.findIndex((b) => identity(b) === identity(value));
    if (same >= 0) return label(same);
    const taken = base.some((b, i) => i === j && !head.some((h) => identity(h) === identity(b)));
    return taken ? `${label(j)} (another file)` : label(j);
  });
  return [baseLabels, headLabels];
}

function substitute(side: ComparedSide, fields: ReadonlySet<string>): { config: ResolvedConfig; literal: Set<string> } {
  const config = structuredClone(side.plan.config) as unknown as Record<string, unknown>;
  const literal = new Set<string>();
  for (const field of fields) {
    const ref = side.kept.has(field) ? String(getField(config, field)) : side.refs.get(field);
    if (ref === undefined) continue;
    setField(config, field, ref);
    literal.add(field);
  }
  return { config: config as unknown as ResolvedConfig, literal };
}

/**
 * The two sides as compared: where either side does not know a value (a reference unset on this machine), both
 * are compared by reference, so that a settings file's machine path and the variable a manifest reads it from
 * are the same setting; licence files are masked.
 */
export function viewsOf(base: ComparedSide, head: ComparedSide): [SideView, SideView] {
  const unknown = new Set([...base.kept, ...head.kept]);
  const [b, h] = [substitute(base, unknown), substitute(head, unknown)];
  const views: [SideView, SideView] = [
    { plan: base.plan, ...b, licences: { mac: [], win: [] } },
    { plan: head.plan, ...h, licences: { mac: [], win: [] } },
  ];
  for (const platform of PLATFORMS) {
    const [before, after] = [licenceItems(b.config, platform), licenceItems(h.config, platform)];
    const labels = licenceLabels(
      before.map((x) => x.value),
      after.map((x) => x.value),
      platform,
    );
    views.forEach((view, n) => {
      const items = n === 0 ? before : after;
      items.forEach((item, i) => {
        setField(view.config as unknown as Record<string, unknown>, item.field, labels[n]![i]);
        view.literal.add(item.field);
      });
      view.licences[platform] = labels[n]!;
    });
  }
  return views;
}
