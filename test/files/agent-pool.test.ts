// Linux mode keeps one file agent per account user warm: consecutive and concurrent operations
// share it, it goes when idle, one the tenant killed is replaced, and with the pool off every
// operation gets (and ends) its own agent. Root only: the agents run as a real account user.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_TIMEOUT, isRoot, processesOf, startModeBed, type FilesBed } from './bed.js';

type Bed = FilesBed & { user: { uid: number; gid: number } | null };

/** Wait (bounded) until `check` holds for the agents of `uid`; returns them. */
async function agentsUntil(uid: number, check: (pids: number[]) => boolean): Promise<number[]> {
  let pids = processesOf(uid);
  for (let i = 0; i < 600 && !check(pids); i++) {
    await sleep(50);
    pids = processesOf(uid);
  }
  return pids;
}

const list = (bed: Bed) => bed.panel.request('GET', '/api/files/list?account_id=1&path=/', { as: 'user' });

describe.runIf(isRoot)('file agents of linux mode', AGENT_TIMEOUT, () => {
  let bed: Bed;
  beforeAll(async () => {
    bed = await startModeBed('linux', { files: { agent_idle_ms: 1000 } });
  });
  afterAll(async () => {
    await bed.stop();
  });

  it('serves consecutive and concurrent operations from one warm agent', async () => {
    expect((await list(bed)).status).toBe(200);
    const agents = processesOf(bed.user!.uid);
    expect(agents).toHaveLength(1);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => [
        bed.panel.request('POST', '/api/files/write', {
          body: { account_id: 1, path: `/f${i}.txt`, content: `${i}` },
          as: 'user',
        }),
        list(bed),
      ]).flat(),
    );
    expect(results.map((r) => r.status)).toEqual(results.map(() => 200));
    expect(processesOf(bed.user!.uid)).toEqual(agents);
  });

  it('lets an idle agent go, and replaces one the tenant killed', async () => {
    expect(await agentsUntil(bed.user!.uid, (p) => p.length === 0)).toEqual([]);
    expect((await list(bed)).status).toBe(200);
    const [killed] = processesOf(bed.user!.uid);
    process.kill(killed!, 'SIGKILL');
    expect(await agentsUntil(bed.user!.uid, (p) => !p.includes(killed!))).not.toContain(killed);
    expect((await list(bed)).status).toBe(200);
    expect(processesOf(bed.user!.uid)).toHaveLength(1);
  });
});

describe.runIf(isRoot)('file agents of linux mode, pool off', AGENT_TIMEOUT, () => {
  let bed: Bed;
  beforeAll(async () => {
    bed = await startModeBed('linux', { files: { agent_pool_size: 0 } });
  });
  afterAll(async () => {
    await bed.stop();
  });

  it('runs every operation in an agent of its own that ends with it', async () => {
    for (let i = 0; i < 3; i++) {
      expect((await list(bed)).status).toBe(200);
      expect(await agentsUntil(bed.user!.uid, (p) => p.length === 0)).toEqual([]);
    }
  });
});
