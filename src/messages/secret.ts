import { inspect } from "node:util";

export const MASK = "***";

/**
 * A secret value (a ${secret.…}, a password, a licence file name, a plug-in key, a certificate) as it is held from
 * the moment it is read: printing, interpolating, logging or serialising it gives the mask; only `reveal()` gives
 * the value, for the one place that must use it.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return MASK;
  }

  toJSON(): string {
    return MASK;
  }

  [Symbol.toPrimitive](): string {
    return MASK;
  }

  [inspect.custom](): string {
    return `Secret(${MASK})`;
  }
}
