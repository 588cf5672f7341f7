import type { Ajv2020, Options } from "ajv/dist/2020.js";

export declare const ANNOTATIONS: string[];
export declare function createAjv(extra?: Options): Ajv2020;
