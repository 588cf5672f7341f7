import { BuildError } from "../messages/errors.js";
import { defaultWorkers, INLINE_BYTES } from "../archives/pool.js";
import type { BuildUnit } from "./units.js";

/**
 * How many things a build does at once: units side by side, and compressor threads. FOURDBUILD_JOBS (a
 * positive whole number) overrides the default, the core count; 1 builds one unit at a time with one thread.
 * The outputs are the same bytes whatever the number.
 */
export function buildJobs(env: NodeJS.ProcessEnv, given?: number): number {
  if (given !== undefined) return Math.max(1, Math.floor(given));
  const text = env.FOURDBUILD_JOBS;
  if (text === undefined || text === "") return defaultWorkers();
  if (!/^[1-9]\d*$/.test(text)) throw new BuildError(`FOURDBUILD_JOBS must be a positive whole number, not "${text}"`, "set it to 1 to build with one worker, or unset it to use every core");
  return Number(text);
}

/** FOURDBUILD_INLINE_BYTES (a whole number, 0 included): input compressed on the main thread before the compressor threads start (see INLINE_BYTES). */
export function inlineCompressionBytes(env: NodeJS.ProcessEnv): number {
  const text = env.FOURDBUILD_INLINE_BYTES;
  if (text === undefined || text === "") return INLINE_BYTES;
  if (!/^\d+$/.test(text)) throw new BuildError(`FOURDBUILD_INLINE_BYTES must be a whole number of bytes, not "${text}"`, `set it to 0 to compress in threads from the first byte, or unset it (${INLINE_BYTES})`);
  return Number(text);
}

/**
 * Runs every unit, up to `jobs` at once, each unit's steps in order. A server starts once every client is
 * done: its update archives are made from them. The first failure stops the others (through the signal
 * given to each unit) and is the error reported: what the others then fail with is its consequence.
 */
export async function runUnits(units: readonly BuildUnit[], jobs: number, signal: AbortSignal, runUnit: (unit: BuildUnit, signal: AbortSignal) => Promise<void>): Promise<void> {
  const controller = new AbortController();
  const stop = () => controller.abort(signal.reason);
  signal.addEventListener("abort", stop, { once: true });
  let free = Math.max(1, jobs);
  const waiting: (() => void)[] = [];
  const acquire = async () => {
    while (free === 0) await new Promise<void>((resolve) => waiting.push(resolve));
    free--;
  };
  const release = () => {
    free++;
    waiting.shift()?.();
  };
  const clients: Promise<void>[] = [];
  const run = async (unit: BuildUnit) => {
    if (unit.target === "server") await Promise.all(clients);
    await acquire();
    try {
      controller.signal.throwIfAborted();
      await runUnit(unit, controller.signal);
    } catch (error) {
      if (!controller.signal.aborted) controller.abort(error);
      throw error;
    } finally {
      release();
    }
  };
  const runs = units.map((unit) => {
    const promise = run(unit);
    if (unit.target === "client") clients.push(promise);
    promise.catch(() => undefined); // reported below, in build order
    return promise;
  });
  try {
    const results = await Promise.allSettled(runs);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed) throw controller.signal.aborted ? controller.signal.reason : failed.reason;
  } finally {
    signal.removeEventListener("abort", stop);
  }
}
