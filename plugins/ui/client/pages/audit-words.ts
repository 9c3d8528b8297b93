// An audit record as a sentence for people — "alice deleted backup bob-2026-12-01.tar.gz" —
// from its method, route template, path and target; unknown routes get a plain generic sentence.

/** What the audit log stores of one request. */
export interface AuditEntry {
  id?: number;
  time?: string;
  created_at?: string;
  username?: string | null;
  role?: string | null;
  method?: string;
  route?: string;
  path?: string;
  target?: string | null;
  status?: number;
  ok?: boolean;
  ip?: string;
  request_id?: string;
  plugin?: string;
  impersonator?: string | null;
}

// `{name}` is the route's parameter of that name (from the path), `{target}` the record's target.
const PHRASES: Record<string, string> = {
  'POST /api/accounts': 'created account {target}',
  'DELETE /api/accounts/:id': 'deleted account {target}',
  'POST /api/accounts/:id/suspend': 'suspended account {target}',
  'POST /api/accounts/:id/unsuspend': 'unsuspended account {target}',
  'POST /api/accounts/:id/password': 'changed the password of account {target}',
  'POST /api/accounts/:id/plan': 'changed the plan of account {target}',
  'POST /api/plans': 'created plan {target}',
  'PATCH /api/plans/:id': 'changed plan {id}',
  'DELETE /api/plans/:id': 'deleted plan {id}',
  'POST /api/accounts/:id/impersonate': "opened {target}'s panel",
  'POST /api/auth/impersonation/end': 'returned to their own panel',
  'POST /api/auth/login': 'logged in as {target}',
  'POST /api/auth/login/2fa': 'logged in with a two-factor code as {target}',
  'POST /api/auth/logout': 'logged out',
  'POST /api/auth/password': 'changed their password',
  'POST /api/auth/setup': 'set up the panel',
  'POST /api/auth/2fa/confirm': 'turned on two-factor login',
  'POST /api/auth/2fa/disable': 'turned off two-factor login',
  'PUT /api/auth/2fa/policy': 'changed the two-factor policy',
  'POST /api/backups/accounts/:id': 'created a backup of account {target}',
  'DELETE /api/backups/accounts/:id/:filename': 'deleted backup {filename}',
  'POST /api/backups/accounts/:id/restore/:filename': 'restored account {target} from backup {filename}',
  'POST /api/backups/cleanup': 'deleted old backups',
  'POST /api/backups/schedules': 'created a backup schedule',
  'DELETE /api/backups/schedules/:id': 'deleted backup schedule {id}',
  'POST /api/backups/schedules/:id/run': 'ran backup schedule {id}',
  'POST /api/backups/targets': 'added a backup target',
  'DELETE /api/backups/targets/:id': 'removed backup target {id}',
  'POST /api/backups/targets/:id/test': 'tested backup target {id}',
  'POST /api/databases': 'created a database for {target}',
  'DELETE /api/databases/:account_id/:db_name': 'deleted database {db_name}',
  'POST /api/domains': 'added domain {target}',
  'DELETE /api/domains/:id': 'removed domain {target}',
  'POST /api/files/upload': 'uploaded a file to {target}',
  'POST /api/files/write': 'saved a file of {target}',
  'DELETE /api/files/delete': 'deleted a file of {target}',
  'POST /api/jobs/:id/cancel': 'cancelled a job',
  'POST /api/license': 'installed a licence',
  'POST /api/plugins/:id/enable': 'enabled plugin {id}',
  'POST /api/plugins/:id/disable': 'disabled plugin {id}',
  'POST /api/resellers': 'created reseller {target}',
  'PATCH /api/resellers/:id': 'changed reseller {target}',
  'DELETE /api/resellers/:id': 'deleted reseller {target}',
  'POST /api/ssl/provision': 'requested a certificate for {target}',
  'POST /api/ssl/renew/:domain': 'renewed the certificate of {domain}',
  'DELETE /api/ssl/certificate/:domain': 'removed the certificate of {domain}',
  'POST /api/tokens': 'created API token {target}',
  'DELETE /api/tokens/:id': 'revoked API token {id}',
  'DELETE /api/users/:id/2fa': 'reset the two-factor login of user {id}',
  'POST /api/veloserve/reload': 'reloaded the web server',
  'POST /api/veloserve/regenerate': 'rebuilt the web server configuration',
};

const GENERIC: Record<string, string> = { POST: 'changed', PUT: 'changed', PATCH: 'changed', DELETE: 'deleted' };

/** The route's parameters, read from the path (`/api/x/:id` over `/api/x/7` → `{ id: '7' }`). */
function paramsOf(route: string, path: string): Record<string, string> {
  const r = route.split('/');
  const p = path.split('?')[0]!.split('/');
  const out: Record<string, string> = {};
  r.forEach((seg, i) => {
    if (!seg.startsWith(':') || p[i] === undefined) return;
    try {
      out[seg.slice(1)] = decodeURIComponent(p[i]!);
    } catch {
      out[seg.slice(1)] = p[i]!;
    }
  });
  return out;
}

/** "account:7" → "7" after the word "account"; anything else as it is. */
function targetWords(target: string | null | undefined): string {
  // Without a target of its own the record carries the request's path: that is no name.
  if (!target || target.startsWith('/')) return '';
  const m = /^([a-z-]+):(.+)$/.exec(target);
  return m ? m[2]! : target;
}

// Past tense → the form after "tried to", for requests that were refused or failed.
const INFINITIVE: Record<string, string> = {
  created: 'create',
  deleted: 'delete',
  suspended: 'suspend',
  unsuspended: 'unsuspend',
  changed: 'change',
  logged: 'log',
  set: 'set',
  turned: 'turn',
  restored: 'restore',
  ran: 'run',
  added: 'add',
  removed: 'remove',
  tested: 'test',
  uploaded: 'upload',
  saved: 'save',
  cancelled: 'cancel',
  installed: 'install',
  enabled: 'enable',
  disabled: 'disable',
  requested: 'request',
  renewed: 'renew',
  revoked: 'revoke',
  reset: 'reset',
  reloaded: 'reload',
  rebuilt: 'rebuild',
  used: 'use',
  opened: 'open',
  returned: 'return',
};

/** Whether the request was refused or failed. */
export const auditFailed = (e: AuditEntry): boolean => e.ok === false || (e.status ?? 0) >= 400;

/** What happened, without who: "deleted backup bob-2026-12-01.tar.gz", or "tried to delete …" when it did not. */
export function auditAction(e: AuditEntry): string {
  const done = doneAction(e);
  if (!auditFailed(e)) return done;
  const [verb, ...rest] = done.split(' ');
  return `tried to ${[INFINITIVE[verb!] ?? verb, ...rest].join(' ')}`;
}

/** A login that worked, before it had a session: the name it logged in with. */
function loginName(e: AuditEntry): string | null {
  return !e.username && !auditFailed(e) && /^\/api\/auth\/login/.test(e.route ?? '') && e.target?.startsWith('login:')
    ? e.target.slice(6)
    : null;
}

function doneAction(e: AuditEntry): string {
  if (loginName(e)) return e.route === '/api/auth/login/2fa' ? 'logged in with a two-factor code' : 'logged in';
  const method = (e.method ?? '').toUpperCase();
  const route = e.route ?? e.path ?? '';
  const phrase = PHRASES[`${method} ${route}`];
  const params = paramsOf(route, e.path ?? route);
  if (phrase) {
    return phrase
      .replace(/\{(\w+)\}/g, (_m, name: string) =>
        name === 'target' ? targetWords(e.target) || params.id || '' : (params[name] ?? ''),
      )
      .replace(/\s+/g, ' ')
      .trim();
  }
  const what = route
    .replace(/^\/api\//, '')
    .split('/')
    .filter((s) => s && !s.startsWith(':'))
    .join(' ');
  return `${GENERIC[method] ?? 'used'} ${what}${e.target ? ` (${e.target})` : ''}`.trim();
}

/** Who did it, in words. */
export function auditActor(e: AuditEntry): string {
  // A session opened as another login: who really acted comes first.
  if (e.impersonator && e.username) return `${e.impersonator} (as ${e.username})`;
  return e.username ?? loginName(e) ?? 'Someone';
}
