import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { AccessLogFile, AccessLogStatus } from '../../sdk/index.js';

const LOG_NAME = /^([1-9][0-9]{0,15})_([a-z0-9.-]{1,253})\.log$/;

/**
 * The bandwidth logs of the nginx engine: one `<account id>_<domain>.log` per server block, in a
 * directory of the panel's (never a tenant's home: a tenant could plant a link there for nginx's
 * root master to open, or truncate its own log to hide traffic).
 */
export function nginxAccessLogs(dir: string) {
  return {
    /** Make the directory before a configuration naming it is tested. */
    prepare(): void {
      if (dir) mkdirSync(dir, { recursive: true, mode: 0o750 });
    },
    async list(): Promise<AccessLogFile[]> {
      if (!dir) return [];
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw e;
      }
      return names.flatMap((name) => {
        const m = LOG_NAME.exec(name);
        return m ? [{ path: path.join(dir, name), accountId: Number(m[1]), domain: m[2]! }] : [];
      });
    },
    status(): AccessLogStatus {
      if (!dir)
        return {
          measured: false,
          dir: null,
          detail: 'access logs are off (plugins.nginx.access_logs = false): bandwidth is not measured',
        };
      return {
        measured: true,
        dir,
        detail:
          "one log per domain, '<account id>_<domain>.log', lines '$msec $bytes_sent $status $host'; " +
          "rotate by renaming and 'nginx -s reopen', or with copytruncate",
      };
    },
  };
}
