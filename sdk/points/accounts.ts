import type { OwnedResource } from '../auth.js';
import { createServiceRef } from '../services.js';

/** A hosting account as other plugins see it. */
export interface AccountInfo {
  id: number;
  username: string;
  primary_domain: string;
  email: string;
  plan: 'free' | 'pro' | 'business';
  status: 'active' | 'suspended';
  /** Absolute home directory. */
  home_dir: string;
  /** System uid/gid in linux mode; null in local mode. */
  uid: number | null;
  gid: number | null;
  disk_quota_mb: number;
  bandwidth_quota_mb: number;
  /** Reseller owning the account (null for admin-owned). */
  reseller_id: number | null;
  created_at: string;
}

/** Read access to accounts, provided by the `accounts` plugin. */
export interface AccountDirectory {
  get(id: number): Promise<AccountInfo | null>;
  byUsername(username: string): Promise<AccountInfo | null>;
  list(filter?: { resellerId?: number }): Promise<AccountInfo[]>;
  /** Ownership descriptor for route access checks (`ref` = `account:<id>`), null when unknown. */
  owner(id: number): Promise<OwnedResource | null>;
}

/** Service reference of the account directory. */
export const accountDirectory = createServiceRef<AccountDirectory>('accounts.directory');

/** The subject string bound to an account's own `user` login and its ownership ref. */
export function accountRef(id: number): string {
  return `account:${id}`;
}

/** Hook payloads of account events (declared here so every plugin agrees on them). */
export interface AccountEvent {
  account: AccountInfo;
}

declare module '../hooks.js' {
  interface HookEvents {
    /** before: may veto a create; the account row does not exist yet (id is 0). */
    'account.create': AccountEvent;
    /** after: the account exists with its user, home and primary domain. */
    'account.created': AccountEvent;
    /** before: a delete is about to cascade; plugins remove what they own (databases, pools, certs). */
    'account.delete': AccountEvent;
    'account.deleted': AccountEvent;
    'account.suspended': AccountEvent;
    'account.unsuspended': AccountEvent;
  }
}
