import {
  domainDirectory,
  webServerEngines,
  type AccessLogFile,
  type AccessLogStatus,
  type PluginContext,
} from '../../sdk/index.js';

/** The configured engine's bandwidth logs, or why there are none. */
export interface EngineLogs {
  /** The logs now, or null when the configured engine does not measure bandwidth. */
  current(): Promise<{ engine: string; files: AccessLogFile[] } | null>;
  /** Whether the configured engine measures bandwidth (no listing: cheap enough for every account page). */
  measured(): boolean;
  /** For the status route: the engine and what its status says about access logs. */
  describe(): Promise<{ engine: string | null } & AccessLogStatus>;
}

/** Reads the engine the domains plugin renders vhosts with (its `accessLogs`), asked at each use. */
export function engineLogs(ctx: PluginContext): EngineLogs {
  const engine = () => {
    const configured = ctx.services.find(domainDirectory)?.engine();
    const entry = configured ? ctx.extensions.find(webServerEngines, configured.id) : undefined;
    return entry?.available ? entry.value : null;
  };
  const measuring = () => {
    const e = engine();
    return e?.capabilities.accessLogs && e.accessLogs ? e : null;
  };
  return {
    async current() {
      const e = measuring();
      return e ? { engine: e.id, files: await e.accessLogs!() } : null;
    },
    measured: () => measuring() !== null,
    async describe() {
      const e = engine();
      if (!e)
        return {
          engine: null,
          measured: false,
          dir: null,
          detail: 'no web-server engine is available: bandwidth is not measured',
        };
      const status = (await e.status()).access_logs;
      if (status && measuring()) return { engine: e.id, ...status };
      return {
        engine: e.id,
        measured: false,
        dir: null,
        detail:
          status?.detail ?? `the ${e.label} engine writes no access logs with bytes sent: bandwidth is not measured`,
      };
    },
  };
}
