import { CliError, Exit, exitForApiError, usageError } from './exit-codes.js';

/** The panel's default address when neither `--url` nor `VELOPANEL_URL` says otherwise. */
export const DEFAULT_URL = 'http://127.0.0.1:7070';

/** Check and normalise a panel URL (scheme, host, optional port; no path beyond `/`). */
export function panelUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw usageError(`--url: '${raw}' is not a URL like http://127.0.0.1:7070`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw usageError(`--url: must start with http:// or https://`);
  if (u.username || u.password || u.search || u.hash)
    throw usageError('--url: must not carry credentials, a query or a fragment');
  return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`;
}

function unreachable(url: string, e: unknown): CliError {
  const cause = (e as { cause?: { code?: string; message?: string } })?.cause;
  const why = cause?.code ?? cause?.message ?? (e as Error)?.message ?? 'unknown error';
  return new CliError(
    `cannot reach the panel at ${url} (${why}); is it running? (velopanel serve, or --url)`,
    Exit.UNREACHABLE,
    'UNREACHABLE',
  );
}

/**
 * The panel's REST API: JSON in, the `{ok, data}` envelope out. An error envelope becomes a
 * {@link CliError} with the panel's message and the exit code its `code` maps to.
 */
export class ApiClient {
  constructor(
    readonly url: string,
    private readonly token: string | null,
  ) {}

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { accept: 'application/json', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...extra };
  }

  async request<T = any>(
    method: string,
    route: string,
    opts: { body?: unknown; query?: Record<string, string> } = {},
  ): Promise<T> {
    const qs = opts.query ? `?${new URLSearchParams(opts.query)}` : '';
    let res: Response;
    try {
      res = await fetch(this.url + route + qs, {
        method,
        headers: this.headers(opts.body === undefined ? {} : { 'content-type': 'application/json' }),
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      });
    } catch (e) {
      throw unreachable(this.url, e);
    }
    const text = await res.text();
    let env: { ok?: boolean; data?: T; error?: string; code?: string } | null = null;
    try {
      env = JSON.parse(text);
    } catch {
      /* not the envelope */
    }
    if (!env || typeof env.ok !== 'boolean')
      throw new CliError(
        `the panel at ${this.url} answered ${method} ${route} with HTTP ${res.status} but not the JSON envelope; is --url right?`,
        Exit.ERROR,
      );
    if (!env.ok) throw this.apiError(env.error ?? `HTTP ${res.status}`, env.code, res.status, route);
    return env.data as T;
  }

  /** Open a server-sent events stream; the caller reads `body`. */
  async events(route: string, signal: AbortSignal): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(this.url + route, { headers: this.headers({ accept: 'text/event-stream' }), signal });
    } catch (e) {
      if (signal.aborted) throw e;
      throw unreachable(this.url, e);
    }
    if (res.ok && res.body) return res;
    const env = (await res.json().catch(() => null)) as { error?: string; code?: string } | null;
    throw this.apiError(env?.error ?? `HTTP ${res.status}`, env?.code, res.status, route);
  }

  private apiError(message: string, code: string | undefined, status: number, route: string): CliError {
    const hint =
      status === 401 && !this.token && route !== '/api/auth/login'
        ? ' (log in with `velopanel login`, or give --token / VELOPANEL_TOKEN)'
        : '';
    return new CliError(message + hint, exitForApiError(code, status), code);
  }
}
