// Why no more accounts can be created, before anyone fills in the form: the licence's account
// limit is used up (server-wide), or a reseller's own cap is reached. Null when creating can work.
import { api } from '../base/api.js';
import { hasRoute } from '../base/capabilities.js';
import { plural } from '../base/format.js';
import type { Session } from '../base/session.js';

interface Licence {
  limits?: { max_accounts?: number | null };
  usage?: { accounts?: number };
}

/** The reason "Create account" is not offered, in words that say what to do; null when it is. */
export async function createBlockedReason(session: Session, ownAccounts: number): Promise<string | null> {
  const lic = hasRoute('GET', '/api/license') ? await api<Licence>('GET', '/api/license').catch(() => null) : null;
  const limit = lic?.limits?.max_accounts;
  const used = lic?.usage?.accounts ?? 0;
  if (typeof limit === 'number' && used >= limit) {
    return session.role === 'admin'
      ? `The licence allows ${plural(limit, 'account')} and all are in use. Install a licence with more accounts on the Licence page, or delete an account first.`
      : `The server's licence allows no more accounts. Ask the server's administrator to extend it.`;
  }
  if (session.role === 'reseller' && session.id !== null && hasRoute('GET', '/api/resellers/{id}')) {
    const me = await api<{ max_accounts: number | null }>('GET', `/api/resellers/${session.id}`).catch(() => null);
    const cap = me?.max_accounts;
    if (typeof cap === 'number' && ownAccounts >= cap)
      return `You have reached your cap of ${plural(cap, 'account')}. Ask the server's administrator for a higher cap, or delete an account first.`;
  }
  return null;
}
