import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import{planBuild,renderPlanText}from"./chunk-O6C7A2V7.js";import"./chunk-FOPIULB4.js";import"./chunk-5J7MXTYH.js";import"./chunk-LXQJ3APV.js";import"./chunk-CHDUSJQK.js";import"./chunk-LMQRFTP6.js";import"./chunk-LRTWEOHR.js";import"./chunk-V7GPNZSN.js";import"./chunk-ISQKZLQM.js";import"./chunk-EF4UERHW.js";import"./chunk-CG46JOOK.js";import"./chunk-OTRTRCFS.js";import"./chunk-QMMRSE52.js";export{planBuild,renderPlanText};
