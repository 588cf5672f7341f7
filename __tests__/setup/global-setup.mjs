export { createTempRoot as default } from "./temp-root.mjs";
