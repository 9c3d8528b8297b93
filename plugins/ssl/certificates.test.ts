import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import knex from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errors, type DomainDirectory, type DomainInfo, type Logger, type PluginDatabase } from '../../sdk/index.js';
import { CertificateStore } from './certificates.js';
import { checkUpload } from './pem.js';
import { selfSignedArgs } from './self-signed.js';
import { CertificateFiles } from './store/certificate-files.js';
import { CertificateRows, migrations } from './store/certificate-rows.js';

const dir = mkdtempSync(path.join(tmpdir(), 'velopanel-certstore-'));
const db = knex({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
const domain: DomainInfo = {
  id: 1,
  account_id: 7,
  domain_name: 'shop.test',
  domain_type: 'primary',
  document_root: '/h/public_html',
  alias_of: null,
  created_at: '',
};

function bundle(tag: string) {
  const f = (n: string) => path.join(dir, `${tag}-${n}`);
  execFileSync('openssl', selfSignedArgs('shop.test', 20, f('key'), f('cert')), { stdio: 'ignore' });
  return checkUpload('shop.test', {
    certificate: readFileSync(f('cert'), 'utf8'),
    private_key: readFileSync(f('key'), 'utf8'),
  });
}

describe('certificate store', () => {
  let regenerate: () => Promise<{ changed: number; unchanged: number }>;
  let store: CertificateStore;
  beforeAll(async () => {
    const pdb = { knex: db, table: (n: string) => `ssl_${n}`, client: 'sqlite' } as PluginDatabase;
    for (const m of migrations) await m.up(db, pdb.table);
    const domains = { regenerate: () => regenerate() } as unknown as DomainDirectory;
    store = new CertificateStore(
      new CertificateRows(pdb),
      new CertificateFiles(path.join(dir, 'ssl')),
      () => domains,
      30,
      silent,
    );
  });
  afterAll(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('installs a version whole, key 0600, and serves its paths', async () => {
    regenerate = async () => ({ changed: 1, unchanged: 0 });
    const view = await store.install(domain, bundle('a'), 'custom', null);
    expect(view).toMatchObject({
      domain: 'shop.test',
      account_id: 7,
      source: 'custom',
      days_left: 19,
      renewal: { due: true, last_status: 'ok' },
    });
    expect(statSync(view.files.key).mode & 0o777).toBe(0o600);
    expect(readFileSync(view.files.fullchain, 'utf8')).toBe(readFileSync(view.files.certificate, 'utf8'));
    expect(await store.tlsFor('shop.test', 7)).toEqual({ certificate: view.files.fullchain, key: view.files.key });
    expect(await store.tlsFor('shop.test', 8)).toBeNull();
    // A whole-server render asks for every host at once: the same answers, in their order, with a
    // short list of accounts and with the many (over 500) that read every row.
    const hosts = [
      { domain: 'none.test', accountId: 7 },
      { domain: 'shop.test', accountId: 8 },
      { domain: 'shop.test', accountId: 7 },
    ];
    const each = await Promise.all(hosts.map((h) => store.tlsFor(h.domain, h.accountId)));
    expect(await store.tlsForMany(hosts)).toEqual(each);
    const many = [...hosts, ...Array.from({ length: 600 }, (_, i) => ({ domain: `x${i}.test`, accountId: 100 + i }))];
    expect((await store.tlsForMany(many)).slice(0, 3)).toEqual(each);
    expect(readdirSync(path.join(dir, 'ssl', 'shop.test'))).toEqual([path.basename(path.dirname(view.files.key))]);
  });

  it('puts row and files back when the web server refuses the new version', async () => {
    const before = await store.view('shop.test');
    regenerate = async () => {
      throw errors.externalCommand('nginx rejected the new configuration: [emerg] test');
    };
    await expect(store.install(domain, bundle('b'), 'acme', null)).rejects.toThrow(/nginx rejected/);
    expect(await store.view('shop.test')).toEqual(before);
    expect(readdirSync(path.join(dir, 'ssl', 'shop.test'))).toEqual([path.basename(path.dirname(before!.files.key))]);
  });

  it('removes: the vhost loses TLS first, then the files go; a refused removal keeps everything', async () => {
    const before = (await store.view('shop.test'))!;
    regenerate = async () => {
      throw errors.externalCommand('reload failed');
    };
    await expect(store.remove(domain)).rejects.toThrow('reload failed');
    expect(await store.view('shop.test')).toEqual(before);
    regenerate = async () => ({ changed: 1, unchanged: 0 });
    expect(await store.remove(domain)).toBe(true);
    expect(await store.tlsFor('shop.test', 7)).toBeNull();
    expect(existsSync(path.join(dir, 'ssl', 'shop.test'))).toBe(false);
  });
});
