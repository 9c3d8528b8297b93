// `velopanel backup …` against the real backups plugin (local target) and a real account:
// a backup with live progress, its listing, a restore that brings a deleted file back, deletion.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountBody, startHostingPanel, type HostingPanel } from '../webserver/helpers.js';
import { buildOnce, tempHome, velopanel } from './cli.js';

describe('velopanel backup with the backups plugin', () => {
  let h: HostingPanel;
  let page: string;
  let file = '';
  const home = tempHome();
  const cli = (args: string[]) => velopanel(['--url', h.panel.url, '--token', h.panel.tokens.admin, ...args], { home });
  beforeAll(async () => {
    buildOnce();
    h = await startHostingPanel({ engine: 'veloserve', extra: ['backups'] });
    const account = (await h.panel.request('POST', '/api/accounts', { body: accountBody({ username: 'clibk' }) })).body
      .data;
    page = path.join(account.home_dir, 'public_html', 'cli-page.html');
    writeFileSync(page, '<h1>kept by the backup</h1>');
  }, 300_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('creates a backup, following its job to the end', async () => {
    const run = await cli(['backup', 'create', 'clibk']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr.trimEnd().split('\n').at(-1)).toMatch(/^backup: 100% succeeded/);
    file = /^filename: +(clibk-\d{8}-\d{6}\.tar\.gz)$/m.exec(run.stdout)?.[1] ?? '';
    expect(run.stdout.startsWith('backup: done.\n')).toBe(true);
    expect(file).not.toBe('');
  });

  it('lists it with its size and target', async () => {
    const run = await cli(['backup', 'list', 'clibk']);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toMatch(/^FILENAME\s+SIZE\s+CREATED_AT\s+TARGET$/);
    expect(run.stdout).toMatch(new RegExp(`${file.replace(/\./g, '\\.')}\\s+[\\d.]+ (B|KB|MB)\\s+\\S+\\s+local`));
    const json = JSON.parse((await cli(['--json', 'backup', 'list', 'clibk', '--target', 'local'])).stdout);
    expect(json).toEqual([expect.objectContaining({ filename: file, target: 'local' })]);
  });

  it('restores it: the deleted file is back and every item is reported', async () => {
    rmSync(page);
    const run = await cli(['backup', 'restore', 'clibk', file, '--yes', '--quiet']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^restore: done\.\n/);
    expect(run.stdout).toMatch(/\nstatus: +complete\n/);
    expect(run.stdout).toMatch(/\nitems:\nITEM\s+STATUS/);
    expect(existsSync(page) && readFileSync(page, 'utf8')).toBe('<h1>kept by the backup</h1>');
  });

  it('deletes it; a second delete is not found', async () => {
    expect((await cli(['backup', 'delete', 'clibk', file, '--yes'])).stdout).toBe(`Deleted backup ${file}.\n`);
    expect((await cli(['backup', 'delete', 'clibk', file, '--yes'])).code).toBe(4);
  });
});
