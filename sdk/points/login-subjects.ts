import { createExtensionPoint } from '../extension-points.js';

/**
 * What a user login stands for, named for people. A plugin whose records each have a panel login
 * (the login's `subject` is `<entry id>:<record id>`, e.g. `account:7`) names them here, so the
 * kernel's messages about the logins a reseller owns say what they are ("accounts") instead of
 * the kernel's own word ("users").
 */
export interface LoginSubject {
  /** One of them, e.g. `account`. */
  one: string;
  /** Several, e.g. `accounts`. */
  many: string;
}

/**
 * Extension point: the kinds of record a user login stands for; the entry id is the subject's
 * prefix.
 *
 * @example
 * ```ts
 * ctx.extensions.provide(loginSubjects, 'widget', { one: 'widget', many: 'widgets' });
 * ```
 */
export const loginSubjects = createExtensionPoint<LoginSubject>({ id: 'login-subjects', owner: 'core' });
