import { api, listOf } from './api.js';

/** A plugin as `GET /api/plugins` lists it. */
export interface PluginInfo {
  id: string;
  name: string;
  version: string | null;
  source: string;
  tier: string;
  state: 'active' | 'disabled' | 'locked';
  reason: string | null;
}

let plugins: Map<string, PluginInfo> | null = null;
let routes: Set<string> | null = null;
let doc: any = null;

/** Load (or reload) plugin states. */
export async function loadPlugins(force = false): Promise<Map<string, PluginInfo>> {
  if (plugins && !force) return plugins;
  try {
    plugins = new Map(listOf<PluginInfo>(await api('GET', '/api/plugins')).map((p) => [p.id, p]));
  } catch {
    plugins = new Map();
  }
  return plugins;
}

/** Load the route table from the API description, so pages offer only actions that exist. */
export async function loadRoutes(force = false): Promise<Set<string>> {
  if (routes && !force) return routes;
  try {
    doc = await api<any>('GET', '/api/openapi.json');
    routes = new Set(
      Object.entries(doc?.paths ?? {}).flatMap(([p, ops]) =>
        Object.keys(ops as object).map((m) => `${m.toUpperCase()} ${p}`),
      ),
    );
  } catch {
    routes = new Set();
  }
  return routes;
}

/** Whether the API has a route, by its OpenAPI template, e.g. `hasRoute('POST', '/api/files/upload')`. */
export function hasRoute(method: string, template: string): boolean {
  return routes?.has(`${method.toUpperCase()} ${template}`) ?? false;
}

/** First route whose template matches, e.g. to find the upload route of the files plugin. */
export function findRoute(method: string, pattern: RegExp): string | null {
  for (const r of routes ?? []) {
    const [m, p] = r.split(' ');
    if (m === method.toUpperCase() && pattern.test(p!)) return p!;
  }
  return null;
}

/** Names of a route's JSON body fields and query parameters, from the API description. */
export function routeFields(method: string, template: string): { body: string[]; query: string[] } {
  const op = doc?.paths?.[template]?.[method.toLowerCase()];
  const body = Object.keys(op?.requestBody?.content?.['application/json']?.schema?.properties ?? {});
  const query = ((op?.parameters ?? []) as { in?: string; name?: string }[])
    .filter((p) => p.in === 'query')
    .map((p) => String(p.name));
  return { body, query };
}

/** Null when the plugin is active; otherwise why its page is not available, in words. */
export function unavailableReason(pluginId: string): string | null {
  const p = plugins?.get(pluginId);
  if (!p) return `Not available: the ${pluginId} plugin is not installed on this panel.`;
  if (p.state === 'active') return null;
  return `Not available: plugin ${pluginId} is ${p.state}${p.reason ? ` — ${p.reason}` : ''}.`;
}

/** Whether a plugin is installed and active. */
export function pluginActive(pluginId: string): boolean {
  return plugins?.get(pluginId)?.state === 'active';
}

/**
 * The scopes API tokens can be given, by area (`accounts` → can it be written too), from the
 * routes the given role may call.
 */
export function tokenScopeAreas(role: string): Map<string, { write: boolean }> {
  const areas = new Map<string, { write: boolean }>();
  for (const ops of Object.values<any>(doc?.paths ?? {})) {
    for (const op of Object.values<any>(ops ?? {})) {
      const access = op?.['x-velopanel-access'];
      const m = typeof access?.scope === 'string' ? /^([a-z][a-z0-9-]*):(read|write)$/.exec(access.scope) : null;
      if (!m || (Array.isArray(access.roles) && !access.roles.includes(role))) continue;
      const area = areas.get(m[1]!) ?? { write: false };
      areas.set(m[1]!, { write: area.write || m[2] === 'write' });
    }
  }
  return new Map([...areas].sort(([a], [b]) => a.localeCompare(b)));
}
