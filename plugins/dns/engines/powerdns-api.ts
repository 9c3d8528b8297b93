import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { errors, KeyedLock } from '../../../sdk/index.js';

/** Where to reach the PowerDNS HTTP API (`[plugins.dns] powerdns_api_url` / `powerdns_api_key`). */
export interface PowerDnsOptions {
  apiUrl: string;
  apiKey: string;
  serverId: string;
  timeoutMs: number;
  /** Where the server binary would be, to tell "not installed" from "not running". */
  binary?: string;
  /** Waits before each retry of a call that failed inside PowerDNS (HTTP 5xx). */
  busyRetriesMs?: number[];
  /** The panel's own PowerDNS (local mode): resolves once it answers, or rejects with a 503 naming what to install. */
  usable?: () => Promise<void>;
}

const INSTALL =
  'install the Debian packages pdns-server and pdns-backend-sqlite3, run pdns_server with api=yes and webserver=yes, and set [plugins.dns] powerdns_api_url and powerdns_api_key';
const DEFAULT_RETRIES = [50, 100, 200, 400, 800, 1600];

/**
 * One PowerDNS API call at a time from this panel, each answered as a `PanelError`. The sqlite
 * backend fails a write at once while another writer holds the database (a second panel, the
 * `pdnsutil` of an admin), answering a bare HTTP 500; the backend transaction was rolled back,
 * so such a call changed nothing and is retried after a short wait (every call the engine makes
 * is a replace, a delete or a read, safe to repeat) instead of failing the user's change.
 */
export class PowerDnsApi {
  private readonly queue = new KeyedLock();

  constructor(private readonly o: PowerDnsOptions) {}

  private get base(): string {
    return `${this.o.apiUrl.replace(/\/+$/, '')}/api/v1/servers/${encodeURIComponent(this.o.serverId)}`;
  }

  /**
   * Why the server cannot be reached, naming what to install when PowerDNS is not here at all.
   * The API's address (an internal service, often loopback) is admin detail: every DNS route's
   * 503 carries this message to users and resellers too.
   */
  private unreachable(detail: string) {
    const installed = existsSync(this.o.binary ?? '/usr/sbin/pdns_server');
    const what = this.o.apiKey
      ? 'PowerDNS API is unreachable'
      : 'PowerDNS is not configured ([plugins.dns] powerdns_api_key is empty)';
    return errors
      .unavailable(
        installed
          ? `${what}: start pdns_server with api=yes and set [plugins.dns] powerdns_api_url and powerdns_api_key`
          : `${what}: PowerDNS is not installed (${INSTALL})`,
      )
      .withAdminDetail(`${withoutCredentials(this.o.apiUrl)}: ${detail}`);
  }

  /** `method` on `path` below `/api/v1/servers/<id>`; the parsed JSON answer (null when empty). */
  call(method: string, path: string, body?: unknown): Promise<any> {
    if (!this.o.apiKey) return Promise.reject(this.unreachable('no API key'));
    return this.queue.run('api', async () => {
      await this.o.usable?.();
      for (const wait of [...(this.o.busyRetriesMs ?? DEFAULT_RETRIES), null]) {
        const answer = await this.once(method, path, body);
        if (!('failed' in answer)) return answer.data;
        if (wait === null) throw failedInside(answer.status, answer.failed);
        await sleep(wait);
      }
    });
  }

  private async once(
    method: string,
    path: string,
    body: unknown,
  ): Promise<{ data: any } | { failed: string; status: number }> {
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, {
        method,
        headers: { 'X-API-Key': this.o.apiKey, 'Content-Type': 'application/json', Accept: 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.o.timeoutMs),
      });
    } catch (e) {
      throw this.unreachable(((e as Error).cause as Error)?.message ?? (e as Error).message);
    }
    const text = await res.text();
    if (res.ok) return { data: text ? JSON.parse(text) : null };
    let reason = text.slice(0, 500);
    try {
      reason = String(JSON.parse(text).error ?? reason);
    } catch {
      /* not JSON: keep the text */
    }
    if (res.status >= 500) return { failed: reason, status: res.status };
    if (res.status === 401 || res.status === 403)
      throw errors.unavailable('PowerDNS refused the API key: check [plugins.dns] powerdns_api_key');
    if (res.status === 404) throw errors.notFound(`PowerDNS: ${reason || 'not found'}`);
    if (res.status === 409) throw errors.conflict(`PowerDNS: ${reason}`);
    if (res.status === 422 || res.status === 400) throw errors.validation(`PowerDNS refused the change: ${reason}`);
    throw failedInside(res.status, reason);
  }
}

/**
 * A failure inside PowerDNS (5xx, or a 4xx that is not about the change sent): its words describe
 * the server, not the caller's records (a backend error can name the sqlite file or quote SQL),
 * so only admins read them; everyone else reads the status.
 */
function failedInside(status: number, reason: string) {
  return errors.externalCommand(`PowerDNS answered HTTP ${status}`).withAdminDetail(reason);
}

/** The URL without a user or password it may carry, for messages. */
function withoutCredentials(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '(an invalid URL)';
  }
}
