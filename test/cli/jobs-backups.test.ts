// `velopanel backup …` and `jobs …`: a job started with ?async=true, followed live through
// /api/jobs/:id/events, as lines, as a redrawn bar, or not at all with --json; failures exit 7.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPanel, type TestPanel } from '../../sdk/testing/index.js';
import { backupStandIn, ON_FIRE } from './backup-stand-in.js';
import { buildOnce, tempHome, velopanel } from './cli.js';

const JOB = /Started job ([0-9a-f-]{36}) /;

describe('velopanel backup and jobs', () => {
  let panel: TestPanel;
  const home = tempHome();
  const cli = (args: string[], role: 'admin' | 'reseller' = 'admin') =>
    velopanel(['--url', panel.url, '--token', panel.tokens[role], ...args], { home });
  beforeAll(async () => {
    buildOnce();
    panel = await startTestPanel({ inline: [backupStandIn] });
  }, 300_000);
  afterAll(async () => {
    await panel?.stop();
  });

  it('creates a backup with progress lines when stderr is not a terminal', async () => {
    const run = await cli(['backup', 'create', '1']);
    expect(run.code).toBe(0);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines.every((l) => /^backup: +\d+% (queued|running|succeeded)/.test(l))).toBe(true);
    expect(lines.at(-1)).toBe('backup: 100% succeeded  step 5 of 5');
    expect(run.stdout).toBe(
      [
        'backup: done.',
        'filename:   acct1-20260228-120000.tar.gz',
        'size:       3.0 MB',
        'created_at: 2026-02-28 12:00:00',
        'target:     local',
        '',
      ].join('\n'),
    );
  });

  it('draws a live bar with --progress bar, and passes --target', async () => {
    const run = await cli(['backup', 'create', '2', '--progress', 'bar', '--target', 'offsite']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('\r\x1b[2Kbackup [##############################] 100%  step 5 of 5');
    expect(run.stderr.split('\r').length).toBeGreaterThan(2);
    expect(run.stdout).toContain('target:     offsite');
  });

  it('prints only the final job as JSON with --json', async () => {
    const run = await cli(['--json', 'backup', 'create', '3']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toMatchObject({
      state: 'succeeded',
      progress: 100,
      kind: 'backups.create',
      result: { filename: 'acct3-20260228-120000.tar.gz' },
    });
  });

  it('exits 7 with the reason when the job fails', async () => {
    const run = await cli(['backup', 'create', '13']);
    expect(run.code).toBe(7);
    expect(run.stdout).toBe('backup: failed: Backup target is full\n');
  });

  it("prints a plain error's text after the reason to an admin only", async () => {
    const safe = 'backup: failed: backups.create failed; an administrator can see why';
    expect(await cli(['backup', 'create', '14'])).toMatchObject({ code: 7, stdout: `${safe}: ${ON_FIRE}\n` });
    expect(await cli(['backup', 'create', '14'], 'reseller')).toMatchObject({ code: 7, stdout: `${safe}\n` });
    // and in jobs list's MESSAGE column
    const failed = (out: string) => out.split('\n').filter((l) => l.includes('account:14'));
    const admin = failed((await cli(['jobs', 'list'])).stdout);
    expect(admin.length).toBeGreaterThan(0);
    for (const line of admin)
      expect(line).toMatch(
        / backups\.create failed; an administrator can see why: ENOSPC: no space left on device, write '\/srv\/secret-disk\/acct14\.tar\.gz'$/,
      );
    const reseller = failed((await cli(['jobs', 'list'], 'reseller')).stdout);
    expect(reseller.length).toBeGreaterThan(0);
    for (const line of reseller) {
      expect(line).toMatch(/ backups\.create failed; an administrator can see why$/);
      expect(line).not.toContain('secret-disk');
    }
  });

  it('lists backups as a table with sizes for people', async () => {
    const run = await cli(['backup', 'list', '1']);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toMatch(/^FILENAME\s+SIZE\s+CREATED_AT\s+TARGET$/);
    expect(run.stdout).toMatch(/acct1-20260228-120000\.tar\.gz\s+3\.0 MB\s+2026-02-28 12:00:00\s+local/);
  });

  it('restores with --yes, reports each item, and exits 7 when some could not be restored', async () => {
    expect((await cli(['backup', 'restore', '1', 'acct1-20260228-120000.tar.gz'])).code).toBe(2);
    const run = await cli(['backup', 'restore', '1', 'acct1-20260228-120000.tar.gz', '--yes', '--quiet']);
    expect(run).toMatchObject({ code: 7, stderr: '' });
    expect(run.stdout).toMatch(
      /^restore: finished, but only partly; see the items below\.\nstatus: partial\n\nitems:\nITEM\s+STATUS\s+ERROR\nfiles\s+restored\s+-\ndatabase wp\s+failed\s+dump checksum mismatch\n$/,
    );
  });

  it('starts without waiting, then follows the job with jobs watch', async () => {
    const started = await cli(['backup', 'create', '4', '--no-wait']);
    expect(started.code).toBe(0);
    const id = JOB.exec(started.stdout)![1]!;
    const watched = await cli(['jobs', 'watch', id, '--quiet']);
    expect(watched.code).toBe(0);
    expect(watched.stdout).toContain(`Job ${id} (backups.create) succeeded.`);
    expect((await cli(['jobs', 'list'])).stdout).toContain(id);
  });

  it('cancels a running job; watching it then exits 7', async () => {
    const id = JOB.exec((await cli(['backup', 'create', '99', '--no-wait'])).stdout)![1]!;
    const cancel = await cli(['jobs', 'cancel', id]);
    expect(cancel.code).toBe(0);
    const watched = await cli(['jobs', 'watch', id, '--quiet']);
    expect(watched.code).toBe(7);
    expect(watched.stdout).toBe(`Job ${id} (backups.create) cancelled: Cancelled\n`);
  });

  it('answers 2 for a malformed job id and 4 for a job that is not yours or not there', async () => {
    expect((await cli(['jobs', 'watch', 'nope'])).code).toBe(2);
    expect((await cli(['jobs', 'watch', '00000000-0000-0000-0000-000000000000'])).code).toBe(4);
    const id = JOB.exec((await cli(['backup', 'create', '5', '--no-wait'])).stdout)![1]!;
    const other = await cli(['jobs', 'watch', id], 'reseller');
    expect({ code: other.code, stderr: other.stderr }).toEqual({ code: 4, stderr: 'velopanel: Job not found\n' });
  });
});
