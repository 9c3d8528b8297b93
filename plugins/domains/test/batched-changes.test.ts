// Domain adds and removals share one main-file rebuild and config test per batch (issue 24): the
// changes that arrive while a batch is being applied all go live in the next one, each request is
// answered only once its own change is in the main file VeloServe reads, and a change the server
// refuses fails alone. VeloServe's CLI is a stand-in script (its contract) that logs every config
// test, waits at a gate while the test holds it, and refuses a domain starting with "refuse".
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountBody, openTempDir, startHostingPanel, type HostingPanel } from '../../../test/webserver/helpers.js';
import { linesOf, servedHosts, veloserveStandIn } from '../../../test/webserver/veloserve-cli.js';

describe('batched domain changes (VeloServe)', () => {
  let h: HostingPanel;
  let dir: string;
  let account: any;
  let others: any[];
  const main = () => path.join(dir, 'veloserve.toml');
  const hosts = () => servedHosts(main());
  const tests = () => linesOf(path.join(dir, 'tests'));
  const hold = () => writeFileSync(path.join(dir, 'hold'), '');
  const release = () => rmSync(path.join(dir, 'hold'), { force: true });
  const rows = async () =>
    (await h.panel.request('GET', `/api/domains/account/${account.id}`)).body.data.map((d: any) => d.domain_name);
  /** Wait (bounded) until the config test is held at the gate, i.e. a batch is being applied. */
  const held = async () => {
    for (let i = 0; i < 400 && !existsSync(path.join(dir, 'waiting')); i++) await sleep(25);
    expect(existsSync(path.join(dir, 'waiting'))).toBe(true);
  };
  const allRows = async () => (await h.panel.request('GET', '/api/domains')).body.data.map((d: any) => d.domain_name);
  /** Wait (bounded) until `names` all have rows: their requests are then queued for the next batch. */
  const queued = async (present: (names: string[]) => boolean, list = rows) => {
    for (let i = 0; i < 400 && !present(await list()); i++) await sleep(25);
  };

  beforeAll(async () => {
    dir = openTempDir('velopanel-batch-');
    const cli = veloserveStandIn(dir, {
      test: `  echo test >> "${dir}/tests"
  while [ -e "${dir}/hold" ]; do touch "${dir}/waiting"; sleep 0.05; done
  rm -f "${dir}/waiting"
  if grep -q 'domain = "refuse' "$2"; then echo "error: invalid virtualhost refuse" >&2; exit 1; fi
  exit 0`,
      reload: '  exit 0',
    });
    h = await startHostingPanel({
      engine: 'veloserve',
      config: { veloserve_config_path: main() },
      plugins: { veloserve: cli },
    });
    account = (
      await h.panel.request('POST', '/api/accounts', {
        body: accountBody({ username: 'batcher', domain: 'batcher.test' }),
      })
    ).body.data;
    others = [];
    for (const n of [1, 2, 3, 4])
      others.push(
        (
          await h.panel.request('POST', '/api/accounts', {
            body: accountBody({ username: `other${n}`, domain: `other${n}.test` }),
          })
        ).body.data,
      );
  });
  afterAll(async () => {
    release();
    await h?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** POST a domain; on the answer, whether the main file already serves it. */
  const add = async (name: string, accountId: number = account.id) => {
    const res = await h.panel.request('POST', '/api/domains', {
      body: { account_id: accountId, domain_name: name, domain_type: 'addon' },
    });
    return { name, status: res.status, body: res.body, live: hosts().includes(name) };
  };

  it('applies the adds that arrive during a batch in one test, each answered once its host is live', async () => {
    hold();
    const first = add('first.test');
    await held();
    // Four accounts: each add is a sync of its own account's hosts, so only batching shares them.
    const names = ['b1.test', 'b2.test', 'b3.test', 'b4.test'];
    const later = names.map((n, i) => add(n, others[i].id));
    await queued((r) => names.every((n) => r.includes(n)), allRows);
    const before = tests();
    release();
    const answers = await Promise.all([first, ...later]);
    for (const a of answers) expect(a).toMatchObject({ status: 200, live: true });
    // The four that waited went live with one more config test, not four.
    expect(tests() - before).toBe(1);
    expect(hosts()).toEqual(expect.arrayContaining(['first.test', ...names]));
  });

  it('a change the server refuses fails alone; the rest of its batch goes live', async () => {
    hold();
    const first = add('c0.test');
    await held();
    const names = ['c1.test', 'refuse-me.test', 'c2.test'];
    const later = names.map((n) => add(n));
    await queued((r) => names.every((n) => r.includes(n)));
    release();
    const [a0, a1, bad, a2] = await Promise.all([first, ...later]);
    for (const a of [a0, a1, a2]) expect(a).toMatchObject({ status: 200, live: true });
    expect(bad!.status).toBe(502);
    expect(bad!.body.error).toMatch(/VeloServe rejected the new configuration: error: invalid virtualhost refuse/);
    expect(bad!.live).toBe(false);
    expect(await rows()).not.toContain('refuse-me.test');
    expect(existsSync(path.join(dir, 'vhosts', 'refuse-me.test.toml'))).toBe(false);
    expect(readdirTemps()).toEqual([]);
  });

  it('removals batch too: each answered once its host is gone, and a second delete of one is a 404', async () => {
    const all = (await h.panel.request('GET', '/api/domains')).body.data;
    const ids = all.filter((d: any) => /^b\d\.test$/.test(d.domain_name)).map((d: any) => [d.id, d.domain_name]);
    hold();
    const first = add('d0.test');
    await held();
    const removals = [...ids, ids[0]].map(async ([id, name]: [number, string]) => {
      const res = await h.panel.request('DELETE', `/api/domains/${id}`);
      return { name, status: res.status, live: hosts().includes(name) };
    });
    await sleep(200); // let the deletes reach the queue (not an assertion: a late one only batches later)
    release();
    expect(await first).toMatchObject({ status: 200, live: true });
    const answers = await Promise.all(removals);
    for (const r of answers.filter((a) => a.status === 200)) expect(r.live).toBe(false);
    // The doubled delete: one removes the domain, the other finds it gone.
    expect(answers.map((r) => r.status).sort()).toEqual([...ids.map(() => 200), 404]);
    for (const [, n] of ids) expect(await allRows()).not.toContain(n);
    // Nothing left over: a regenerate finds the main file in line.
    expect((await h.panel.request('POST', '/api/veloserve/regenerate')).body.data).toMatchObject({
      changed: 0,
      removed: 0,
    });
  });

  it('concurrent account creates share a batch: their vhosts go live in one config test, not one each', async () => {
    hold();
    const first = add('e0.test');
    await held();
    const bodies = [1, 2, 3, 4].map((n) => accountBody({ username: `sharer${n}`, domain: `sharer${n}.test` }));
    const creates = bodies.map((body) => h.panel.request('POST', '/api/accounts', { body }));
    await queued((r) => bodies.every((b) => r.includes(b.domain)), allDomainRows);
    await sleep(200); // from the row to the vhost step is a few awaits (not an assertion: a late one only batches later)
    const before = tests();
    release();
    expect(await first).toMatchObject({ status: 200, live: true });
    for (const res of await Promise.all(creates)) expect(res.status).toBe(200);
    expect(tests() - before).toBe(1);
    expect(hosts()).toEqual(expect.arrayContaining(bodies.map((b) => b.domain)));
  });

  /** Every domain row, those of accounts still being created included (the API shows none of those). */
  const allDomainRows = async () =>
    (await h.panel.kernel.knex('domains_domains').select('domain_name')).map((r: any) => r.domain_name);
  const readdirTemps = () => ['vp-new', 'vp-old'].filter((s) => existsSync(`${main()}.${s}`));
});
