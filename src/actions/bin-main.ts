import { run } from "./main.js";

// The action's main entry (action.yml runs.main). run() ends every failure in core.setFailed.
await run();
