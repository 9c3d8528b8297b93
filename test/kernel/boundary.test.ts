import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (name === 'node_modules') return [];
    return statSync(p).isDirectory() ? files(p) : /\.(ts|mts|js|mjs)$/.test(name) ? [p] : [];
  });
}

const IMPORT = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function imports(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(IMPORT)].map((m) => m[1] ?? m[2]!).filter((s) => s.startsWith('.'));
}

describe('architecture boundary', () => {
  it('plugins import only from sdk/ and their own folder', () => {
    const offences: string[] = [];
    for (const plugin of readdirSync(path.join(root, 'plugins'))) {
      const own = path.join(root, 'plugins', plugin);
      if (!statSync(own).isDirectory()) continue;
      for (const file of files(own)) {
        for (const spec of imports(file)) {
          const target = path.resolve(path.dirname(file), spec);
          const inSdk = target.startsWith(path.join(root, 'sdk') + path.sep);
          const inOwn = target.startsWith(own + path.sep);
          if (!inSdk && !inOwn) offences.push(`${path.relative(root, file)} imports ${spec}`);
        }
      }
    }
    expect(offences).toEqual([]);
  });

  it('the kernel knows no hosting concept', () => {
    const offences = files(path.join(root, 'core'))
      .filter((f) => !f.endsWith('.test.ts'))
      .filter((f) => imports(f).some((s) => path.resolve(path.dirname(f), s).startsWith(path.join(root, 'plugins'))))
      .map((f) => path.relative(root, f));
    expect(offences).toEqual([]);
  });

  it('finds hosting words inside identifiers and strings (snake_case, camelCase), but not in comments', () => {
    expect(hostingNames("const max_domains_free = 1; const homeBase = 'x';")).toEqual(['max_domains_free', 'homeBase']);
    expect(hostingNames("const label = 'the vhosts of an account';")).toEqual(['vhosts', 'account']);
    expect(hostingNames('// accounts and domains\n/* nginx */ const mode = 1;')).toEqual([]);
    expect(hostingNames('const backupsEnabled = sslOn && phpFpm;')).toEqual(['backupsEnabled', 'sslOn', 'phpFpm']);
  });

  it('no hosting word appears in kernel code (identifiers and strings), beyond what is still to move', () => {
    const found = new Set(
      files(path.join(root, 'core'))
        .filter((f) => !f.endsWith('.test.ts'))
        .flatMap((f) => hostingNames(readFileSync(f, 'utf8')).map((name) => `${path.relative(root, f)}: ${name}`)),
    );
    expect(
      [...found].filter((x) => !REMAINING.has(x)),
      'hosting names in core/: move them into the plugin that owns them',
    ).toEqual([]);
    // The list only shrinks: an entry the code no longer has is removed from it.
    expect(
      [...REMAINING].filter((x) => !found.has(x)),
      'entries of REMAINING the code no longer has',
    ).toEqual([]);
  });
});

/** Words that name hosting concepts: the kernel must not know them. */
const HOSTING = /^(account|domain|vhost|nginx|veloserve|php|fpm|backup|ssl|acme|home)s?$/;

/** Identifiers and words in strings of a source file (comments dropped) naming a hosting concept, split at `_` and camelCase. */
function hostingNames(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\/|(^|[^:'"`\\])\/\/.*$/gm, '$1');
  const names = (code.match(/[A-Za-z][A-Za-z0-9_]*/g) ?? []).filter((name) =>
    name
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .toLowerCase()
      .split('_')
      .some((part) => HOSTING.test(part)),
  );
  return [...new Set(names)];
}

/**
 * Issue 20, still to do: a few messages and examples name accounts (the subject `account:<id>`
 * of a user login, "still owns N account logins"). The auth migrations keep the reseller cap
 * columns they made before the accounts and domains plugins owned the caps: a migration is never
 * rewritten (a store migrated by it must stay consistent with the code). Nothing may be added here.
 */
const REMAINING = new Set([
  'core/auth/migrations.ts: max_accounts',
  'core/auth/migrations.ts: max_domains',
  'core/auth/plugin-grant-routes.ts: account',
  'core/auth/plugin-grant-routes.ts: accounts',
  'core/auth/reseller-plugins.ts: accounts',
  'core/auth/reseller-routes.ts: accounts',
  'core/auth/reseller-routes.ts: account',
  'core/auth/token-routes.ts: accounts',
  'core/auth/user-store.ts: account',
]);
