import { errors } from '../../sdk/index.js';

/** One php.ini directive an account may set. */
interface IniRule {
  /** The whole value must match (anchored); nothing else ever reaches a pool file. */
  pattern: RegExp;
  hint: string;
  /** `php_admin_value` (scripts cannot raise it with ini_set) instead of `php_value`. */
  admin: boolean;
  /** Canonical form of an accepted value. */
  normalize?: (v: string) => string;
}

const SIZE = /^(0|[1-9][0-9]{0,5}[KMG]?)$/;
const sizeRule = (admin: boolean): IniRule => ({ pattern: SIZE, hint: 'a size such as 64M, 512K or 2G', admin });
const intRule = (max: string, hint: string, admin: boolean, allowMinus = false): IniRule => ({
  pattern: new RegExp(`^(${allowMinus ? '-1|' : ''}0|[1-9][0-9]{0,${max.length - 1}})$`),
  hint,
  admin,
});
const BOOL = /^(on|off|1|0|true|false|yes|no)$/i;
const boolRule: IniRule = {
  pattern: BOOL,
  hint: 'On or Off',
  admin: false,
  normalize: (v) => (/^(on|1|true|yes)$/i.test(v) ? 'On' : 'Off'),
};

const E: Record<string, number> = {
  E_ERROR: 1,
  E_WARNING: 2,
  E_PARSE: 4,
  E_NOTICE: 8,
  E_CORE_ERROR: 16,
  E_CORE_WARNING: 32,
  E_COMPILE_ERROR: 64,
  E_COMPILE_WARNING: 128,
  E_USER_ERROR: 256,
  E_USER_WARNING: 512,
  E_USER_NOTICE: 1024,
  E_STRICT: 2048,
  E_RECOVERABLE_ERROR: 4096,
  E_DEPRECATED: 8192,
  E_USER_DEPRECATED: 16384,
  E_ALL: 32767,
};
const TERM = '~?\\s*E_[A-Z_]+';
const ERROR_EXPR = new RegExp(`^(-1|[0-9]{1,5}|${TERM}(\\s*[&|^]\\s*${TERM})*)$`);

/**
 * The integer of an `error_reporting` expression (`E_ALL & ~E_DEPRECATED`), evaluated here with
 * PHP's precedence (~, &, ^, |) so the pool file gets a plain number.
 */
export function errorReportingValue(expr: string): number | null {
  if (!ERROR_EXPR.test(expr)) return null;
  if (/^-?[0-9]+$/.test(expr)) return Number(expr);
  const term = (t: string): number | null => {
    const m = /^(~?)\s*(E_[A-Z_]+)$/.exec(t.trim());
    const v = m ? E[m[2]!] : undefined;
    return v === undefined ? null : m![1] ? ~v & E.E_ALL! : v;
  };
  const fold = (s: string, op: string, inner: (x: string) => number | null): number | null => {
    const parts = s.split(op).map(inner);
    if (parts.some((p) => p === null)) return null;
    return (parts as number[]).reduce((a, b) => (op === '&' ? a & b : op === '^' ? a ^ b : a | b));
  };
  return fold(expr, '|', (x) => fold(x, '^', (y) => fold(y, '&', term)));
}

/** The allow-list: every directive an account may set, with its value pattern. */
export const INI_RULES: Record<string, IniRule> = {
  memory_limit: { pattern: /^(-1|[1-9][0-9]{0,5}[KMG]?)$/, hint: 'a size such as 256M, or -1', admin: false },
  upload_max_filesize: sizeRule(false),
  post_max_size: sizeRule(false),
  max_execution_time: intRule('99999', 'whole seconds from 0 to 99999', false),
  max_input_time: intRule('99999', 'whole seconds from 0 to 99999, or -1', false, true),
  max_input_vars: { pattern: /^[1-9][0-9]{0,5}$/, hint: 'a whole number from 1 to 999999', admin: false },
  max_file_uploads: { pattern: /^[1-9][0-9]{0,3}$/, hint: 'a whole number from 1 to 9999', admin: false },
  display_errors: boolRule,
  log_errors: boolRule,
  short_open_tag: boolRule,
  allow_url_fopen: { ...boolRule, admin: true },
  error_reporting: {
    pattern: ERROR_EXPR,
    hint: 'an E_* expression such as E_ALL & ~E_DEPRECATED, or a number',
    admin: false,
    normalize: (v) => v.replace(/\s+/g, ' ').trim(),
  },
  'date.timezone': {
    pattern: /^[A-Za-z]{1,32}(\/[A-Za-z0-9_+-]{1,32}){0,2}$/,
    hint: 'a time zone such as Europe/Berlin or UTC',
    admin: false,
  },
  'session.gc_maxlifetime': intRule('9999999', 'whole seconds', false),
  default_socket_timeout: intRule('99999', 'whole seconds', false),
};

function knownZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Accepted value types: strings, or numbers/booleans for convenience (turned into strings). */
export type IniInput = Record<string, string | number | boolean>;

/**
 * Validate php.ini settings against the allow-list: an unknown directive, a value not matching
 * its pattern (newline, `=`, `;`, quote, anything), an unknown time zone → 400 naming the key.
 * Returns the canonical values.
 */
export function validateIni(input: IniInput, where = 'settings'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, raw] of Object.entries(input)) {
    const rule = Object.hasOwn(INI_RULES, key) ? INI_RULES[key] : undefined;
    const shown = JSON.stringify(key.slice(0, 64));
    if (!rule)
      throw errors.validation(
        `${where}: ${shown} is not a setting accounts may change (allowed: ${Object.keys(INI_RULES).join(', ')})`,
      );
    const value = typeof raw === 'boolean' ? (raw ? 'On' : 'Off') : String(raw);
    if (!rule.pattern.test(value) || value.length > 100)
      throw errors.validation(`${where}.${key}: must be ${rule.hint}`);
    if (key === 'date.timezone' && !knownZone(value)) throw errors.validation(`${where}.${key}: unknown time zone`);
    if (key === 'error_reporting' && errorReportingValue(value) === null)
      throw errors.validation(`${where}.${key}: must be ${rule.hint}`);
    out[key] = rule.normalize ? rule.normalize(value) : value;
  }
  return out;
}

/**
 * Pool lines for validated settings (checked again: a row edited behind the panel's back must not
 * reach the file either). Keys are sorted so the same settings always give the same bytes.
 */
export function iniPoolLines(settings: Record<string, string>): string[] {
  const clean = validateIni(settings);
  return Object.keys(clean)
    .sort()
    .map((key) => {
      const rule = INI_RULES[key]!;
      const value = key === 'error_reporting' ? String(errorReportingValue(clean[key]!)) : clean[key]!;
      return `${rule.admin ? 'php_admin_value' : 'php_value'}[${key}] = ${value}`;
    });
}
