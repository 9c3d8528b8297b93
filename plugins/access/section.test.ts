import { describe, expect, it } from 'vitest';
import { parseSection } from './section.js';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHhlbGxvaGVsbG9oZWxsb2hlbGxvaGVsbG9oZWxsb2hl c@x';
const ok = { shell: null, keys: [KEY], cron: [{ schedule: '@daily', command: 'echo 5%', enabled: true, email: null }] };

describe('the access section of a backup', () => {
  it('reads back what export writes', () => {
    expect(parseSection(ok)).toMatchObject({
      shell: null,
      keys: [{ type: 'ssh-ed25519', comment: 'c@x' }],
      cron: [{ schedule: '@daily', command: 'echo 5%' }],
    });
  });

  it.each([
    [{ ...ok, shell: 'root' }, /shell/],
    [{ ...ok, keys: [`command="sh" ${KEY}`] }, /options/],
    [{ ...ok, keys: [`${KEY}\n${KEY}`] }, /single line/],
    [{ ...ok, cron: [{ ...ok.cron[0], command: 'true\n* * * * * evil' }] }, /access\.cron\[0\]\.command/],
    [{ ...ok, cron: [{ ...ok.cron[0], schedule: '@daily\nFOO=1' }] }, /access\.cron\[0\]\.schedule/],
    [{ ...ok, cron: [{ ...ok.cron[0], email: 'a@example.com\nSHELL=/tmp/x' }] }, /access\.cron\[0\]\.email/],
  ])('refuses a hostile archive value (%#)', (value, message) => {
    expect(() => parseSection(value)).toThrow(message);
  });
});
