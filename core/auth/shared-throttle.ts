import type { Logger } from '../../sdk/logger.js';
import type { ChangeFeed } from '../cluster/change-feed.js';
import type { LoginThrottle } from './login-throttle.js';

const MAX_FIELD = 256;

/**
 * Nodes sharing a store count login attempts together: an attacker spreading guesses over the
 * nodes behind a balancer meets one set of limits, not one per node. Each step counted here is
 * told to the other nodes over the change feed and theirs are counted here (without checks —
 * the node that took the step made them).
 */
export function shareThrottle(throttle: LoginThrottle, feed: ChangeFeed, logger: Logger): void {
  if (!feed.live) return;
  throttle.onStep = (step) => {
    feed
      .publish('throttle', { ...step })
      .catch((e: Error) => logger.warn('could not tell other nodes of a login attempt', { error: e.message }));
  };
  feed.on('throttle', (p) => {
    if (p.step !== 'begin' && p.step !== 'succeed') return;
    if (typeof p.ip !== 'string' || p.ip.length > MAX_FIELD) return;
    if (p.username !== null && (typeof p.username !== 'string' || p.username.length > MAX_FIELD)) return;
    throttle.apply({ step: p.step, ip: p.ip, username: p.username });
  });
}
