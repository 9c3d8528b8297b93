import { loginSubjects } from '../../sdk/points/login-subjects.js';
import type { ModuleHost } from '../kernel-module.js';

/** How messages name the logins a reseller owns, and the shape of a login's subject. */
export interface LoginWords {
  one: string;
  many: string;
  /** E.g. `widget:<id>`, or `<kind>:<id>` when no plugin names a kind. */
  subject: string;
}

/** The kernel's own words, when no active plugin says what its logins stand for. */
const KERNEL_WORDS: LoginWords = { one: 'user', many: 'users', subject: '<kind>:<id>' };

/**
 * The words of the plugins that give logins a meaning ({@link loginSubjects}): the first active
 * one names the logins in messages; every one's prefix is a subject shape.
 */
export function loginWords(k: Pick<ModuleHost, 'extensions'>): LoginWords {
  const kinds = k.extensions.entries(loginSubjects).filter((e) => e.available);
  if (!kinds.length) return KERNEL_WORDS;
  return {
    one: kinds[0]!.value.one,
    many: kinds[0]!.value.many,
    subject: kinds.map((e) => `${e.entryId}:<id>`).join(' or '),
  };
}
