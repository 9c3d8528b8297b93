import type { AccountInfo } from './accounts.js';

/** Payload of `account.bandwidth_exceeded`. */
export interface BandwidthExceededEvent {
  account: AccountInfo;
  /** The calendar month (UTC) the bytes were sent in, `YYYY-MM`. */
  period: string;
  used_mb: number;
  quota_mb: number;
  /**
   * What the panel did: `suspend` (the account is suspended until the next period or an admin's
   * unsuspend) or `warn` (event and audit entry only; also when the action is `suspend` but the
   * account was suspended already, by someone else).
   */
  action: 'warn' | 'suspend';
}

declare module '../hooks.js' {
  interface HookEvents {
    /** after: an account passed its `bandwidth_quota_mb` in a period; emitted once per account and period. */
    'account.bandwidth_exceeded': BandwidthExceededEvent;
  }
}
