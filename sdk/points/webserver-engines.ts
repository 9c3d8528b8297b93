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
