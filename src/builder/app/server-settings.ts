import type { ReadonlyBuildPlan } from "../../manifest/plan.js";
import type { SettingsEdit } from "../../four-d/settings-edit.js";

type ServerSettings = NonNullable<NonNullable<ReadonlyBuildPlan["config"]["targets"]["server"]>["settings"]>;

/** Field → element path below <preferences> and attribute, as Build4D's Server class writes them (Server.4dm _fix_settings). */
const FIELDS: Record<string, [readonly string[], string]> = {
  publicationName: [["com.4d", "server", "network", "options"], "publication_name"],
  publicationPort: [["com.4d", "server", "network", "options"], "publication_port"],
  sqlPort: [["com.4d", "sql", "publication"], "port_number"],
  phpAddress: [["com.4d", "php"], "ip_address"],
  phpPort: [["com.4d", "php"], "port_number"],
  allowUserSettings: [["com.4d", "general"], "allow_user_settings"],
  executeHostDatabaseEvents: [["com.4d", "general"], "execute_host_database_event"],
};
const WEB = ["com.4d", "web", "standalone_server"];
const GROUPS: Record<string, Record<string, [readonly string[], string]>> = {
  web: Object.fromEntries(
    Object.entries({ publishAtStartup: "publish_at_startup", listeningAddress: "listening_address", httpPort: "port_number", httpsPort: "https_port_number", allowHttp: "allowHttp", allowHttpOnLocal: "allow_http_on_local", allowSsl: "allow_ssl", automaticSessionManagement: "automatic_session_management", sessionMode: "session_mode", reuseContext: "reuse_context", certificateFolder: "certificate_folder", htmlRoot: "html_root", homePage: "home_page" }).map(([k, a]) => [k, [[...WEB, "configuration"], a]]),
  ),
  webOptions: {
    cacheMaxSize: [[...WEB, "options", "cache"], "cache_max_size"],
    cachedObjectMaxSize: [[...WEB, "options", "cache"], "cached_object_max_size"],
    use4dWebCache: [[...WEB, "options", "cache"], "use_4d_web_cache"],
    maxConcurrentProcesses: [[...WEB, "options", "web_processes"], "max_concurrent"],
    inactiveProcessTimeout: [[...WEB, "options", "web_processes"], "timeout_for_inactives"],
    preemptiveProcesses: [[...WEB, "options", "web_processes"], "preemptive"],
    genericWebUser: [[...WEB, "options", "web_passwords"], "generic_web_user"],
    with4dPasswords: [[...WEB, "options", "web_passwords"], "with_4d_passwords"],
    sendExtendedCharacters: [[...WEB, "options", "text_conversion"], "send_extended"],
    standardSet: [[...WEB, "options", "text_conversion"], "standard_set"],
    keepAlive: [[...WEB, "options", "keep_alive"], "with_keep_alive"],
    keepAliveRequests: [[...WEB, "options", "keep_alive"], "requests_number"],
    keepAliveTimeout: [[...WEB, "options", "keep_alive"], "timeout"],
    cors: [[...WEB, "options", "cors"], "enabled"],
  },
  rest: { launchAtStartup: [[...WEB, "rest"], "launch_at_startup"] },
  soap: { enabled: [[...WEB, "webservices", "server"], "allow_requests"], name: [[...WEB, "webservices", "server"], "name"], namespace: [[...WEB, "webservices", "server"], "name_space"] },
};

/** The attribute edits targets.server.settings asks for, in the schema's order; none when it is not set. */
export function serverSettingsEdits(plan: ReadonlyBuildPlan): SettingsEdit[] {
  const settings = plan.config.targets.server?.settings as (ServerSettings & Record<string, unknown>) | undefined;
  if (!settings) return [];
  const edits: SettingsEdit[] = [];
  const add = (where: [readonly string[], string], value: unknown) => {
    if (value !== undefined) edits.push({ path: where[0], attribute: where[1], value: String(value) });
  };
  for (const [field, where] of Object.entries(FIELDS)) add(where, settings[field]);
  for (const [group, fields] of Object.entries(GROUPS)) {
    const values = settings[group] as Record<string, unknown> | undefined;
    for (const [field, where] of Object.entries(fields)) add(where, values?.[field]);
  }
  return edits;
}
