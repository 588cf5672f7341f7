import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import{REPORT_FILE,REPORT_VERSION,readBuildReport}from"./chunk-VNUYPZ6Y.js";import"./chunk-OTRTRCFS.js";import"./chunk-QMMRSE52.js";export{REPORT_FILE,REPORT_VERSION,readBuildReport};
