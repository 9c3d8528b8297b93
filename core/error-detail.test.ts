// Issue 16, item 10: an error built on a cause says what failed to everyone and keeps the
// cause's server detail for admins; the log (an admin's) gets the whole of it.
import { describe, expect, it } from 'vitest';
import { errors, noSpaceCause } from './errors.js';
import { createLogger } from './logger.js';

const SOCKET = "mariadb-dump: Got error: 2002: Can't connect through socket '/run/mysqld/mysqld.sock'";
const failedTool = () => errors.externalCommand('mariadb-dump failed (exit 2)').withAdminDetail(SOCKET);

describe('PanelError.withCause', () => {
  it("appends a panel error's message and carries its admin detail", () => {
    const e = errors.externalCommand('Dump of database shop failed').withCause(failedTool());
    expect(e.messageFor({ role: 'user' })).toBe('Dump of database shop failed: mariadb-dump failed (exit 2)');
    expect(e.messageFor({ role: 'reseller' })).toBe('Dump of database shop failed: mariadb-dump failed (exit 2)');
    expect(e.messageFor({ role: 'admin' })).toBe(
      `Dump of database shop failed: mariadb-dump failed (exit 2): ${SOCKET}`,
    );
  });

  it("keeps any other cause's text for admins only", () => {
    const e = errors
      .unavailable('Upload to store x failed')
      .withCause(new Error("EACCES: permission denied, open '/srv/secret/x'"));
    expect(e.messageFor(null)).toBe('Upload to store x failed');
    expect(e.messageFor({ role: 'admin' })).toBe(
      "Upload to store x failed: EACCES: permission denied, open '/srv/secret/x'",
    );
  });

  it("joins its own detail with the cause's, and keeps the cause for the disk-full check", () => {
    const full = Object.assign(new Error('no space'), { code: 'ENOSPC' });
    const inner = errors.externalCommand('tar failed (exit 2)').withAdminDetail('tar: write error').withCause(full);
    const e = errors.externalCommand('Archive failed').withAdminDetail('target t').withCause(inner);
    expect(e.message).toBe('Archive failed: tar failed (exit 2)');
    expect(e.adminDetail).toBe('target t; tar: write error; no space');
    expect(noSpaceCause(e)).toEqual({ code: 'ENOSPC' });
  });
});

describe('logging an error', () => {
  it('writes a panel error with its admin detail, any other error with its message', () => {
    const lines: string[] = [];
    const log = createLogger({ sink: (l) => lines.push(l), format: 'json' });
    log.error('dump failed', { error: failedTool() });
    log.warn('plain', { error: new Error('boom'), count: 2 });
    expect(JSON.parse(lines[0]!).error).toBe(`mariadb-dump failed (exit 2): ${SOCKET}`);
    expect(JSON.parse(lines[1]!)).toMatchObject({ error: 'boom', count: 2 });
  });
});
