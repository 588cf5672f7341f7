import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import{removeSecretFiles}from"./chunks/chunk-EI7GKG7L.js";import{getState,info,warning}from"./chunks/chunk-WUHEDRLK.js";function cleanUp(){let state=getState("secret-files");if(!state)return;let{files,folder}=JSON.parse(state);removeSecretFiles(files,folder),info(`removed ${files.length} secret file${files.length===1?"":"s"}`)}try{cleanUp()}catch(error){warning(`could not remove every secret file: ${error instanceof Error?error.message:String(error)}`)}
