import { createExtensionPoint } from '../extension-points.js';
import type { VhostSpec } from './webserver.js';

/** One rendered piece of web-server configuration: the managed file of one domain. */
export interface VhostFragment {
  /** File name inside the engine's fragment directory (no slashes), e.g. `example.com.conf`. */
  name: string;
  content: string;
}

/** A set of fragment changes applied as one unit. */
export interface VhostChange {
  write: VhostFragment[];
  /** Fragment names to remove. */
  remove: string[];
}

/** What an engine can express, so other plugins can say plainly when a setting cannot apply. */
export interface EngineCapabilities {
  /** A PHP version and handler per virtual host (false: PHP settings are server-wide). */
  perHostPhp: boolean;
  /** PHP modes the engine can render for one host. */
  phpModes: ('cgi' | 'fpm' | 'lsapi')[];
  /** Per-host TLS certificates (SNI). */
  tls: boolean;
  /** Serves `/.well-known/acme-challenge/` from the document root even while suspended. */
  acmeWhileSuspended: boolean;
  /**
   * Refuses, inside an account's home, a symlink whose owner differs from its target's (nginx
   * `disable_symlinks if_not_owner`), so a tenant's link into another home is not served.
   * Absent or false: the engine follows such links, and `/api/veloserve/status` says so.
   */
  foreignSymlinksRefused?: boolean;
  /**
   * Writes an access log per domain whose lines carry the bytes sent (see
   * {@link WebServerEngine.accessLogs}), so bandwidth is measured. Absent or false: it is not, and
   * the engine's status says why.
   */
  accessLogs?: boolean;
}

/** Whether and where an engine logs the bytes it sends (part of {@link EngineStatus}). */
export interface AccessLogStatus {
  measured: boolean;
  /** Directory of the per-domain logs, null when the engine writes none. */
  dir: string | null;
  /** One sentence: the format, or why the engine cannot log bytes per domain. */
  detail: string;
}

/** Status of the web server behind an engine, as `/api/veloserve/status` reports it. */
export interface EngineStatus {
  engine: string;
  installed: boolean;
  running: boolean;
  version: string | null;
  pid: number | null;
  uptime_secs: number | null;
  /** Main configuration file the engine manages or includes its fragments from. */
  config_path: string;
  /** Directory holding one fragment per domain. */
  vhosts_dir: string;
  /** Per-domain access logs for bandwidth accounting (additive; absent from older engines). */
  access_logs?: AccessLogStatus;
}

/** Outcome of an {@link WebServerEngine.apply}. */
export interface ApplyResult {
  written: number;
  removed: number;
  /** False when the engine had nothing to reload (binary absent, or nothing changed). */
  reloaded: boolean;
}

/**
 * A web-server engine (entry of {@link webServerEngines}). The `domains` plugin renders every
 * vhost through the configured engine, compares with {@link list} and hands only the differences
 * to {@link apply}.
 *
 * Contract of `apply`: write each fragment to a temp file, test the resulting configuration, swap
 * it in atomically, reload; if the test or the reload fails, the previous files are back (and
 * still serving) and the call throws a `PanelError` whose message carries the server's own words.
 */
export interface WebServerEngine {
  readonly id: string;
  readonly label: string;
  readonly capabilities: EngineCapabilities;
  /** Pure and deterministic: the same spec always gives the same bytes. */
  render(spec: VhostSpec): VhostFragment;
  /** The fragment name {@link render} uses for a domain (to remove it without rendering). */
  fragmentName(domain: string): string;
  /**
   * Managed fragments currently on disk (name → content), all of them or only `names`; files the
   * panel did not write are ignored. An engine whose server reads one combined file lists what
   * that file really holds: a fragment it does not hold as written (a crash between the two swaps)
   * lists with empty content, so the next sync writes it again.
   */
  list(names?: string[]): Promise<Map<string, string>>;
  /** Apply a change set atomically (see the interface notes). An empty change does nothing. */
  apply(change: VhostChange): Promise<ApplyResult>;
  /** Test the live configuration; `message` is the server's own output. */
  test(): Promise<{ ok: boolean; message: string }>;
  /** Reload the server with its current configuration; throws with the server's message on failure. */
  reload(): Promise<{ reloaded: boolean; message: string }>;
  status(): Promise<EngineStatus>;
  /** The server binary's version string, null when not installed. */
  version(): Promise<string | null>;
  /**
   * The access logs the engine writes now (only with `capabilities.accessLogs`), one per domain,
   * each line in the {@link parseAccessLogLine} format. A log may outlive its domain (its last
   * lines are still counted). Rotation renames a log beside itself (`<path>.1`) and starts a new
   * one, or truncates it in place; readers detect both by inode and size.
   */
  accessLogs?(): Promise<AccessLogFile[]>;
}

/** One per-domain access log of an engine. */
export interface AccessLogFile {
  /** Absolute path, in a directory only the panel and the web server write (never a tenant's home). */
  path: string;
  /** The account the domain belonged to when the engine wrote the log (account ids are never reused). */
  accountId: number;
  domain: string;
}

/** Extension point: web-server engines (`veloserve`, `nginx`, third-party), owned by `domains`. */
export const webServerEngines = createExtensionPoint<WebServerEngine>({ id: 'webserver-engines', owner: 'domains' });

/** The marker every managed fragment starts with; engines ignore files without it. */
export const MANAGED_MARKER = '# Managed by VeloPanel';

/**
 * Whether a value is safe to place in a web-server config after quoting: printable ASCII without
 * quotes, backslashes, `$`, braces, `;`, `#` or whitespace. Engines check every value again even
 * though the plugins validated it (a second wall against config injection).
 */
export function isConfigSafe(value: string): boolean {
  return value.length > 0 && value.length <= 4096 && /^[A-Za-z0-9._\/:@+=,~-]+$/.test(value);
}

/**
 * One access-log line as engines write it for bandwidth accounting: `<unix time> <bytes sent> …`
 * (the time in seconds, optionally with a fraction; the bytes with headers; anything after is
 * informational). Null for a line in any other shape, which readers skip.
 *
 * @example
 * ```ts
 * parseAccessLogLine('1765080000.123 5120 200 example.test'); // { time: 1765080000123, bytes: 5120 }
 * ```
 */
export function parseAccessLogLine(line: string): { time: number; bytes: number } | null {
  const m = /^(\d{1,12})(?:\.(\d{1,6}))? (\d{1,15})(?: |$)/.exec(line);
  if (!m) return null;
  const time = Number(m[1]) * 1000 + Math.floor(Number(`0.${m[2] ?? '0'}`) * 1000);
  return { time, bytes: Number(m[3]) };
}
