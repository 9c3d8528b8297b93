import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
/** The one module of the ui plugin other plugins' pages may import (compiled, as pages import it). */
const UI_KIT = path.join(root, 'plugins', 'ui', 'client', 'kit.js');

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
  // Besides: a plugin's browser pages (plugins/<id>/ui/) import the web UI's kit, and its tests
  // (plugins/<id>/test/, *.test.ts) the test bed in test/. Not the kernel: a plugin's tests start
  // panels, run programs and open stores through sdk/testing, as a third party's tests must.
  it('plugins import only from sdk/ and their own folder', () => {
    const offences: string[] = [];
    for (const plugin of readdirSync(path.join(root, 'plugins'))) {
      const own = path.join(root, 'plugins', plugin);
      if (!statSync(own).isDirectory()) continue;
      for (const file of files(own)) {
        const isTest = file.endsWith('.test.ts') || file.startsWith(path.join(own, 'test') + path.sep);
        for (const spec of imports(file)) {
          const target = path.resolve(path.dirname(file), spec);
          const inSdk = target.startsWith(path.join(root, 'sdk') + path.sep);
          const inOwn = target.startsWith(own + path.sep);
          const kit = file.startsWith(path.join(own, 'ui') + path.sep) && target === UI_KIT;
          const bed = isTest && target.startsWith(path.join(root, 'test') + path.sep);
          if (!inSdk && !inOwn && !kit && !bed) offences.push(`${path.relative(root, file)} imports ${spec}`);
        }
      }
    }
    expect(offences).toEqual([]);
  });

  it('a plugin\u2019s pages (plugins/<id>/ui/) import only the web UI\u2019s kit and their own ui/ folder', () => {
    const offences = readdirSync(path.join(root, 'plugins'))
      .map((plugin) => path.join(root, 'plugins', plugin, 'ui'))
      .filter((dir) => existsSync(dir) && !dir.startsWith(path.join(root, 'plugins', 'ui') + path.sep))
      .flatMap((dir) =>
        files(dir).flatMap((file) =>
          imports(file)
            .filter((spec) => {
              const target = path.resolve(path.dirname(file), spec);
              return target !== UI_KIT && !target.startsWith(dir + path.sep);
            })
            .map((spec) => `${path.relative(root, file)} imports ${spec}`),
        ),
      );
    expect(offences).toEqual([]);
  });

  it('nothing outside a plugin\u2019s folder imports from it (deleting the folder deletes the feature whole)', () => {
    const found = new Set(
      ['core', 'sdk', 'cli', 'scripts', 'test', 'plugins']
        .flatMap((d) => files(path.join(root, d)))
        .flatMap((file) =>
          imports(file).flatMap((spec) => {
            const target = path.relative(root, path.resolve(path.dirname(file), spec));
            const owner = /^plugins\/([^/]+)\//.exec(target)?.[1];
            const from = path.relative(root, file);
            if (!owner || from.startsWith(`plugins/${owner}/`) || path.join(root, target) === UI_KIT) return [];
            return [`${from} → ${owner}`];
          }),
        ),
    );
    expect(
      [...found].filter((x) => !CROSS_PLUGIN_TESTS.has(x)),
      'move the file into the plugin it imports, or import through sdk/',
    ).toEqual([]);
    expect(
      [...CROSS_PLUGIN_TESTS].filter((x) => !found.has(x)),
      'entries of CROSS_PLUGIN_TESTS the code no longer has',
    ).toEqual([]);
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

  it('no hosting word appears anywhere in core/ (identifiers and strings, its unit tests included)', () => {
    const found = [
      ...new Set(
        files(path.join(root, 'core')).flatMap((f) =>
          hostingNames(readFileSync(f, 'utf8')).map((name) => `${path.relative(root, f)}: ${name}`),
        ),
      ),
    ];
    expect(
      found,
      'hosting names in core/: move them into the plugin that owns them (or let it supply the word)',
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
 * Tests and benchmarks in test/ that drive several plugins' code at once (engine conformance
 * across engines, archives of one plugin read by another, whole-panel benchmarks): they stay in
 * test/, and deleting a plugin named here means deleting or trimming them too. Only shrinks.
 */
const CROSS_PLUGIN_TESTS = new Set([
  'test/backups/identity-migrations.test.ts → accounts',
  'test/backups/identity-migrations.test.ts → backups',
  'test/backups/targets-conformance.test.ts → backup-s3',
  'test/backups/targets-conformance.test.ts → backup-sftp',
  'test/backups/targets-conformance.test.ts → backups',
  'test/bench/add-domain-profile.bench.ts → domains',
  'test/bench/add-domain-profile.bench.ts → veloserve',
  'test/bench/quota.bench.ts → accounts',
  'test/bench/regenerate.bench.ts → nginx',
  'test/bench/scale.bench.ts → files',
  'test/databases/client-commands.test.ts → mysql',
  'test/databases/client-commands.test.ts → postgresql',
  'test/databases/engine-conformance.test.ts → mysql',
  'test/databases/engine-conformance.test.ts → postgresql',
  'test/databases/option-file-login.test.ts → mysql',
  'test/fixtures/bombs.ts → backups',
  'test/lists/rows.ts → domains',
]);
