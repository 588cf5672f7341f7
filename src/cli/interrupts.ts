import { InterruptedError } from "../messages/errors.js";

/**
 * Runs `work` with SIGINT and SIGTERM turned into an abort of its signal, so that it cleans up (staging and
 * temporary folders removed) and ends as InterruptedError (exit 130 / 143) instead of dying mid-way.
 */
export async function withInterrupts<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let received: "SIGINT" | "SIGTERM" | undefined;
  const stop = (signal: "SIGINT" | "SIGTERM") => () => {
    received = signal;
    controller.abort(new InterruptedError(signal));
  };
  const handlers = { SIGINT: stop("SIGINT"), SIGTERM: stop("SIGTERM") };
  for (const [signal, handler] of Object.entries(handlers)) process.on(signal, handler);
  try {
    return await work(controller.signal);
  } catch (error) {
    if (received) throw new InterruptedError(received);
    throw error;
  } finally {
    for (const [signal, handler] of Object.entries(handlers)) process.off(signal, handler);
  }
}
