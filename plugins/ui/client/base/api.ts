// Calls to the panel API. The session is the HttpOnly cookie the login sets; scripts never see
// the token. Every failure becomes an ApiError whose message is words for a person.

/** A failed API call: the API's own message, its status and stable code. */
export class ApiError extends Error {
  /** `challenge` is the second login step's token (code `TOTP_REQUIRED`). */
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | null = null,
    readonly challenge: string | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The feature's plugin is missing, disabled or locked (the page shows "not available"). */
  get unavailable(): boolean {
    return (
      this.code === 'PLUGIN_DISABLED' ||
      this.status === 503 ||
      (this.status === 404 && /^No route for /.test(this.message))
    );
  }
}

const STATUS_WORDS: Record<number, string> = {
  400: 'The request was not accepted.',
  401: 'Please log in.',
  403: 'You do not have permission to do this.',
  404: 'Not found.',
  409: 'This conflicts with something that already exists.',
  413: 'That is too large.',
  429: 'Too many attempts. Please wait a moment and try again.',
  500: 'The panel hit an internal error. Please try again.',
  502: 'A service the panel uses did not answer correctly.',
  503: 'This service is not available right now.',
  504: 'The operation took too long.',
};

/** Listeners told when the session has ended (any 401 outside the auth endpoints). */
export const sessionEnded = new EventTarget();

function wordsFor(status: number, statusText: string): string {
  return STATUS_WORDS[status] ?? `The server answered ${status}${statusText ? ` ${statusText}` : ''}.`;
}

/**
 * Read an envelope; anything that is not one becomes a message in words, never raw JSON.
 * `seen` gets the whole successful envelope (a paged list's `total` sits beside `data`).
 */
export async function readEnvelope<T>(res: Response, seen?: (envelope: Record<string, unknown>) => void): Promise<T> {
  let body: any = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  if (body && typeof body === 'object' && body.ok === true) {
    seen?.(body);
    return body.data as T;
  }
  if (body && typeof body === 'object' && body.ok === undefined && res.ok) return body as T;
  const message =
    body && typeof body.error === 'string' && body.error.trim() ? body.error : wordsFor(res.status, res.statusText);
  const challenge = body && typeof body.challenge === 'string' ? body.challenge : null;
  throw new ApiError(message, res.status, body && typeof body.code === 'string' ? body.code : null, challenge);
}

/** Call the API: JSON in, the envelope's `data` out. */
export async function api<T = any>(
  method: string,
  path: string,
  body?: unknown,
  seen?: (envelope: Record<string, unknown>) => void,
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError('Cannot reach the panel. Check the connection and try again.', 0, 'NETWORK');
  }
  if (res.status === 401 && !path.startsWith('/api/auth/')) sessionEnded.dispatchEvent(new Event('ended'));
  return readEnvelope<T>(res, seen);
}

/** One page of a list route asked with `limit`/`offset`/`sort`/`q`: its rows and the list's `total`. */
export async function apiPage<T = any>(
  path: string,
  params: Record<string, string | number | null | undefined>,
): Promise<{ items: T[]; total: number }> {
  let total: number | null = null;
  const items = listOf<T>(
    await api('GET', withQuery(path, params), undefined, (e) => {
      total = typeof e.total === 'number' ? e.total : null;
    }),
  );
  return { items, total: total ?? items.length };
}

/** Words for any error, for showing to a person. */
export function describeError(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof Error && e.message) return `Something went wrong: ${e.message}`;
  return 'Something went wrong.';
}

/** Build `path?key=value&…` with proper encoding. */
export function withQuery(path: string, params: Record<string, string | number | boolean | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/** An array from a list answer, whether the API returns the list or wraps it (`{items}`, `{entries}` …). */
export function listOf<T = any>(data: unknown, ...keys: string[]): T[] {
  if (Array.isArray(data)) return data as T[];
  if (data && typeof data === 'object') {
    for (const k of [...keys, 'items', 'entries', 'results', 'data']) {
      const v = (data as Record<string, unknown>)[k];
      if (Array.isArray(v)) return v as T[];
    }
  }
  return [];
}
