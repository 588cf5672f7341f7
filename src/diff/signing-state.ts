import type { ResolvedConfig } from "../manifest/plan.js";

/** How the macOS applications of a configuration are signed, as 4D and 4dbuild do it. */
export interface MacSigning {
  identity?: string;
  /** signing.mac.sign, defaulting to "an identity is given". */
  sign: boolean;
  /** The identity the applications are signed with: set and signing on. */
  signedWith?: string;
  /** An ad-hoc signature when no identity is used. */
  adHoc: boolean;
}

export function macSigning(config: ResolvedConfig): MacSigning {
  const mac = config.signing.mac;
  const identity = typeof mac.identity === "string" && mac.identity !== "" ? mac.identity : undefined;
  const sign = mac.sign ?? identity !== undefined;
  return { ...(identity ? { identity } : {}), sign, ...(sign && identity ? { signedWith: identity } : {}), adHoc: mac.adHoc !== false };
}
