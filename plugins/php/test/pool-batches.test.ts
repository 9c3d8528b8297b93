// Pool changes asked for together (accounts created at once) share one `php-fpm -t` (of the
// master config as it will be, staged before the swap) and one reload, on a real private php-fpm
// master; each caller is answered only once its own socket answers. A batch php-fpm refuses is rolled back and applied
// again one change at a time, so the bad change fails alone and the others go live.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecService, Logger } from '../../../sdk/index.js';
import { testExec } from '../../../sdk/testing/index.js';
import { poolConfig, startPhpFpm } from '../../../test/bed/services/phpfpm.js';
import type { PhpFpmInfo, Running } from '../../../test/bed/types.js';
import type { FpmMaster } from '../master.js';
import { POOL_MARKER } from '../pool.js';
import { FpmPools } from '../pools.js';
import { socketAnswers } from '../status.js';

const quiet = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet } as Logger;

describe('pool changes asked for together', () => {
  let fpm: Running<PhpFpmInfo>;
  let m: FpmMaster;
  let pools: FpmPools;
  /** Every `php-fpm -t` the pools ran. */
  let tests = 0;
  const reloads = () =>
    readFileSync(path.join(fpm.info.prefix, 'log', 'php-fpm.log'), 'utf8').split('Reloading in progress').length - 1;
  const socket = (name: string) => path.join(fpm.info.socketDir, `${name}.sock`);
  const pool = (name: string, extra = '') =>
    `${POOL_MARKER}\n${poolConfig({ name, user: 'nobody', group: 'nogroup', socket: socket(name), listenOwner: fpm.info.listenOwner })}${extra}`;

  beforeAll(async () => {
    fpm = await startPhpFpm();
    const real = testExec();
    const exec: ExecService = Object.assign(Object.create(real) as ExecService, {
      run: (cmd: string, args: string[], opts?: Parameters<ExecService['run']>[2]) => {
        if (args.includes('-t')) tests++;
        return real.run(cmd, args, opts);
      },
    });
    pools = new FpmPools(exec, quiet);
    m = {
      version: fpm.info.version,
      binary: fpm.info.binary,
      config: fpm.info.confPath,
      prefix: fpm.info.prefix,
      poolDir: fpm.info.poolDir,
      pidFile: path.join(fpm.info.prefix, 'php-fpm.pid'),
      reloadCommand: [],
      waitMs: 30_000,
    };
  });
  afterAll(async () => {
    await fpm?.stop();
  });

  it('makes ten pools asked for at once with one config test and one reload, each answered live', async () => {
    const names = Array.from({ length: 10 }, (_, i) => `vp-batch${i}`);
    const [testsBefore, reloadsBefore] = [tests, reloads()];
    const answers = await Promise.all(
      names.map(async (n) => {
        const r = await pools.change(m, `${n}.conf`, pool(n), socket(n));
        return { ...r, live: await socketAnswers(socket(n)) };
      }),
    );
    for (const a of answers) expect(a).toMatchObject({ changed: true, reloaded: true, live: true });
    expect(tests - testsBefore).toBe(1);
    expect(reloads() - reloadsBefore).toBe(1);
  });

  it('answers a change that alters nothing as unchanged, beside others that change', async () => {
    const [same, fresh] = await Promise.all([
      pools.change(m, 'vp-batch0.conf', pool('vp-batch0'), socket('vp-batch0')),
      pools.change(m, 'vp-batchx.conf', pool('vp-batchx'), socket('vp-batchx')),
    ]);
    expect(same).toMatchObject({ changed: false });
    expect(fresh).toMatchObject({ changed: true, reloaded: true });
  });

  it('fails only the pool php-fpm refuses; the others asked for with it go live', async () => {
    const good = ['vp-good1', 'vp-good2'];
    const results = await Promise.allSettled([
      ...good.map((n) => pools.change(m, `${n}.conf`, pool(n), socket(n))),
      pools.change(m, 'vp-bad.conf', pool('vp-bad', 'pm.max_children = lots\n'), socket('vp-bad')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect(((results[2] as PromiseRejectedResult).reason as Error).message).toMatch(/rejected the pool/);
    for (const n of good) expect(await socketAnswers(socket(n))).toBe(true);
    expect(existsSync(path.join(fpm.info.poolDir, 'vp-bad.conf'))).toBe(false);
    expect(await socketAnswers(socket('vp-bad'))).toBe(false);
  });

  it('applies two changes of one file asked for together in turn: the later one is what stays', async () => {
    const n = 'vp-batch1';
    const [removed, back] = await Promise.all([
      pools.change(m, `${n}.conf`, null, socket(n)),
      pools.change(m, `${n}.conf`, pool(n), socket(n)),
    ]);
    expect(removed).toMatchObject({ changed: true, reloaded: true });
    expect(back).toMatchObject({ changed: true, reloaded: true });
    expect(await socketAnswers(socket(n))).toBe(true);
  });
});
