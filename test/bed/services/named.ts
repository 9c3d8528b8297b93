// BIND 9 (`named`) on loopback for the BIND DNS engine: its own config, zone directory and rndc
// key in a temp dir, zones added at run time (allow-new-zones), no recursion, no integrity
// checks that would refuse a test zone whose nameservers live elsewhere.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NamedInfo, Running } from '../types.js';
import { canConnect, freePort, removeDir, run, startDaemon, stopDaemon, waitReady } from '../proc.js';
import { inBedDir, readyOrStop } from '../starting.js';

export function startNamed(): Promise<Running<NamedInfo>> {
  return inBedDir('named', async (dir) => {
    const [dnsPort, rndcPort] = [await freePort(), await freePort()];
    const zoneDir = join(dir, 'zones');
    mkdirSync(zoneDir, { mode: 0o755 });
    const secret = randomBytes(32).toString('base64');
    const key = `key "bed-rndc" { algorithm hmac-sha256; secret "${secret}"; };\n`;
    writeFileSync(
      join(dir, 'named.conf'),
      `${key}options {
  directory "${dir}"; pid-file "${dir}/named.pid"; session-keyfile "${dir}/session.key";
  listen-on port ${dnsPort} { 127.0.0.1; }; listen-on-v6 { none; };
  allow-new-zones yes; recursion no; dnssec-validation no; check-integrity no;
};
controls { inet 127.0.0.1 port ${rndcPort} allow { 127.0.0.1; } keys { "bed-rndc"; }; };
`,
      { mode: 0o600 },
    );
    const rndcConf = join(dir, 'rndc.conf');
    writeFileSync(
      rndcConf,
      `${key}options { default-key "bed-rndc"; default-server 127.0.0.1; default-port ${rndcPort}; };\n`,
      { mode: 0o600 },
    );
    const d = startDaemon(
      '/usr/sbin/named',
      ['-g', '-c', join(dir, 'named.conf'), '-u', 'root'],
      join(dir, 'named.log'),
    );
    const stop = async () => {
      await stopDaemon(d, 'SIGTERM', [rndcPort!], 5_000);
      removeDir(dir);
    };
    return readyOrStop(stop, async () => {
      await waitReady(
        d,
        'named rndc',
        async () =>
          (await canConnect(rndcPort!)) &&
          (await run('rndc', ['-c', rndcConf, 'status']).then(
            () => true,
            () => false,
          )),
      );
      return {
        info: {
          host: '127.0.0.1',
          dnsPort: dnsPort!,
          rndc: ['rndc', '-c', rndcConf],
          zoneDir,
          pid: d.pid,
        } as NamedInfo,
        stop,
      };
    });
  });
}
