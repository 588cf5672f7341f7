import path from "node:path";
import { FIXTURES } from "../helpers.js";

/** The stand-in 4D (not 4D): checks its command line and the private files it is given, acts out the methods. */
export const STAND_IN_4D = path.join(FIXTURES, "fourd", "4D.app", "Contents", "MacOS", "4D");
