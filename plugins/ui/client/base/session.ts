import { api, ApiError } from './api.js';

/** Panel roles. */
export type Role = 'admin' | 'reseller' | 'user';

/** Who is logged in. A `user` login is bound to one hosting account (`accountId`). */
export interface Session {
  id: number | null;
  username: string;
  role: Role;
  subject: string | null;
  accountId: number | null;
  /** Who opened this session as this login ("open as this account"), or null. */
  impersonator: { id: number; username: string } | null;
}

let current: Session | null | undefined;

function toSession(me: any): Session {
  const subject = typeof me?.subject === 'string' ? me.subject : null;
  const bound = subject ? /^account:(\d+)$/.exec(subject) : null;
  const role: Role = me?.role === 'admin' || me?.role === 'reseller' ? me.role : 'user';
  return {
    id: typeof me?.id === 'number' ? me.id : null,
    username: typeof me?.username === 'string' ? me.username : '',
    role,
    subject,
    accountId: bound ? Number(bound[1]) : typeof me?.account_id === 'number' ? me.account_id : null,
    impersonator:
      typeof me?.impersonator?.username === 'string'
        ? { id: Number(me.impersonator.id), username: me.impersonator.username }
        : null,
  };
}

/** The current session, asking the API once; null when not logged in. */
export async function loadSession(force = false): Promise<Session | null> {
  if (current !== undefined && !force) return current;
  try {
    current = toSession(await api('GET', '/api/auth/me'));
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 404)) current = null;
    else throw e;
  }
  return current;
}

/** Forget the cached session (after logout or a 401). */
export function forgetSession(): void {
  current = undefined;
}

/** Whether first-run setup is open, and whether this client must give the setup code. */
export async function setupState(): Promise<{ required: boolean; codeRequired: boolean } | null> {
  try {
    const s = await api<any>('GET', '/api/auth/setup');
    return { required: s?.required === true, codeRequired: s?.code_required === true };
  } catch {
    return null;
  }
}

/** What a login led to: the session, and whether the role requires enrolling in two-factor login first. */
export interface LoggedIn {
  session: Session | null;
  mustEnrol: boolean;
}

async function loggedIn(answer: any): Promise<LoggedIn> {
  return { session: await loadSession(true), mustEnrol: answer?.totp_setup_required === true };
}

/**
 * Log in; the API sets the HttpOnly session cookie. With two-factor login on this throws an
 * ApiError with code `TOTP_REQUIRED` and the challenge for {@link loginWithCode}.
 */
export async function login(username: string, password: string): Promise<LoggedIn> {
  return loggedIn(await api('POST', '/api/auth/login', { username, password }));
}

/** The second login step: the challenge and a code from the authenticator app (or a recovery code). */
export async function loginWithCode(challenge: string, code: string): Promise<LoggedIn> {
  return loggedIn(await api('POST', '/api/auth/login/2fa', { challenge, code }));
}

/** Log out (the cookie is cleared by the API) and forget the session. */
export async function logout(): Promise<void> {
  try {
    await api('POST', '/api/auth/logout');
  } finally {
    forgetSession();
  }
}
