import type { Logger } from '../../sdk/logger.js';
import type { ChangeFeed } from '../cluster/change-feed.js';
import type { ForgetNotice, PanelAuthenticator } from './authenticator.js';

const KINDS = new Set(['user', 'sessions', 'user-sessions', 'api-token']);

/**
 * Nodes sharing a store drop a revoked credential at once: each purge of the authenticator's
 * cache (logout, token revoked, password changed, login disabled) is told to the other nodes
 * over the change feed, and theirs are applied here. A notice lost anyway (a feed outage ends
 * in `resync`, which drops the whole cache) still ends at the cache's re-check against the store.
 */
export function shareForgets(auth: PanelAuthenticator, feed: ChangeFeed, logger: Logger): void {
  auth.onForget = (notice) => {
    feed
      .publish('auth', notice)
      .catch((e: Error) => logger.warn('could not tell other nodes of a revocation', { error: e.message }));
  };
  feed.on('auth', (p) => {
    const kind = String(p.kind);
    if (!KINDS.has(kind)) return;
    const id = Number(p.userId ?? p.tokenId);
    if (kind !== 'sessions' && !Number.isSafeInteger(id)) return;
    auth.apply(p as ForgetNotice, true);
  });
  feed.on('resync', () => auth.forgetAll());
}
