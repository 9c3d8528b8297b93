import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { Crontabs, cronCommand, parseCommand, parseEmail, renderCrontab } from './crontab.js';
import type { CronJobRow } from './store.js';

const job = (over: Partial<CronJobRow>): CronJobRow => ({
  id: 1,
  account_id: 1,
  schedule: '@daily',
  command: 'true',
  enabled: true,
  email: null,
  created_at: '',
  updated_at: '',
  ...over,
});

describe('cron fields', () => {
  it.each(['true\n* * * * * evil', 'true\nMAILTO=x@example.com', 'a\rb', 'tab\there', 'x\u007f'])(
    'refuses control characters in %j',
    (c) => {
      expect(() => parseCommand(c)).toThrow(/one line/);
    },
  );

  it('refuses a backslash before % (it would cancel the escape) and escapes every other %', () => {
    expect(() => parseCommand('echo \\%')).toThrow(/backslash before %/);
    expect(cronCommand(parseCommand('date +%F%T'))).toBe('date +\\%F\\%T');
  });

  it('takes an address or nothing for mail', () => {
    expect(parseEmail('')).toBeNull();
    expect(parseEmail(null)).toBeNull();
    expect(parseEmail(' ops@example.com ')).toBe('ops@example.com');
    for (const bad of [
      'a@example.com\nFOO=1',
      'a b@example.com',
      'a@example.com,b@example.com',
      '%x@example.com',
      'root',
    ])
      expect(() => parseEmail(bad)).toThrow(/email/);
  });
});

describe('renderCrontab', () => {
  it('gives each enabled job its own MAILTO and leaves disabled ones out', () => {
    const text = renderCrontab([
      job({ id: 1, email: 'a@example.com' }),
      job({ id: 2, enabled: false, command: 'off' }),
      job({ id: 3, schedule: '*/5 * * * *', command: 'echo 5%' }),
    ]);
    expect(text.split('\n').slice(3)).toEqual([
      '# job 1',
      'MAILTO=a@example.com',
      '@daily true',
      '# job 3',
      'MAILTO=""',
      '*/5 * * * * echo 5\\%',
      '',
    ]);
  });
});

describe('Crontabs.remove', () => {
  it('accepts a user that is gone (a repeated delete runs the hook again)', async () => {
    const exec = {
      run: async (cmd: string, args: string[]) => {
        const r = spawnSync(cmd, args);
        return { code: r.status ?? 1, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
      },
      stream: async () => {
        throw new Error('unused');
      },
      which: async () => '/usr/bin/crontab',
    };
    await expect(new Crontabs(exec).remove('vpnosuchuser1')).resolves.toBeUndefined();
  });
});
