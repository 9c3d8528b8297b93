// Profile (issue 24): where adding and removing a domain spends its time at 100 and at 50,000
// domains (VeloServe engine): wall time per phase of the panel's own methods, and a CPU profile's
// top functions by self time. Figures, not assertions.
import { rmSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { it } from 'vitest';
import { VeloServeEngine } from '../../plugins/veloserve/engine.js';
import { IncrementalCheck } from '../../plugins/veloserve/check-incremental.js';
import { ServedConfig } from '../../plugins/veloserve/served.js';
import { ManagedSection } from '../../plugins/veloserve/section.js';
import { VhostSync } from '../../plugins/domains/vhosts.js';
import { DomainStore } from '../../plugins/domains/store.js';
import { FragmentDirectory } from '../../sdk/points/vhost-fragments.js';
import { openTempDir, startHostingPanel, type HostingPanel } from '../webserver/helpers.js';
import { report } from './report.js';
import { idOf, seed } from './scale-seed.js';

const SIZES = (process.env.VELOPANEL_SCALE_SIZES ?? '20,10000').split(',').map(Number);
const phases = new Map<string, { n: number; ms: number }>();

function wrap(proto: any, names: string[], tag: string): void {
  for (const name of names) {
    const orig = proto[name];
    proto[name] = function (this: unknown, ...args: unknown[]) {
      const t = performance.now();
      const done = () => {
        const p = phases.get(`${tag}.${name}`) ?? { n: 0, ms: 0 };
        p.n++;
        p.ms += performance.now() - t;
        phases.set(`${tag}.${name}`, p);
      };
      const r = orig.apply(this, args);
      if (r && typeof r.then === 'function') return r.finally(done);
      done();
      return r;
    };
  }
}
wrap(VeloServeEngine.prototype, ['list', 'applyNow', 'render', 'writeSuspendedPages'], 'engine');
wrap(IncrementalCheck.prototype, ['check'], 'check');
wrap(ManagedSection.prototype, ['preview'], 'section');
wrap(ServedConfig.prototype, ['skeleton', 'wrote', 'asServed', 'fragments'], 'served');
wrap(FragmentDirectory.prototype, ['swap', 'readAll'], 'fragments');
wrap(VhostSync.prototype, ['syncNow', 'specs', 'accountsOf'], 'vhosts');
wrap(
  DomainStore.prototype,
  ['forAccounts', 'forAccount', 'existingNames', 'insertWithinLimit', 'byName', 'get', 'delete'],
  'store',
);

async function ok(h: HostingPanel, method: string, route: string, body?: unknown): Promise<any> {
  const res = await h.panel.request(method as 'GET', route, body === undefined ? {} : { body });
  if (res.status !== 200) throw new Error(`${method} ${route}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data;
}

it('profiles adding a domain', async () => {
  const homeBase = openTempDir('velopanel-prof-homes-');
  const h = await startHostingPanel({ engine: 'veloserve', homeBase });
  const session = new Session();
  session.connect();
  const out: Record<string, unknown> = {};
  try {
    let seeded = 0;
    for (const n of SIZES) {
      await seed(h, seeded, n);
      seeded = n;
      const id = await idOf(h, 1);
      for (let w = 0; w < 3; w++)
        await ok(
          h,
          'DELETE',
          `/api/domains/${(await ok(h, 'POST', '/api/domains', { account_id: id, domain_name: `w${w}.p${n}.test`, domain_type: 'addon' })).id}`,
        );
      phases.clear();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
      const add: number[] = [];
      const rem: number[] = [];
      for (let i = 0; i < 20; i++) {
        let t = performance.now();
        const d = await ok(h, 'POST', '/api/domains', {
          account_id: id,
          domain_name: `a${i}.p${n}.test`,
          domain_type: 'addon',
        });
        add.push(performance.now() - t);
        t = performance.now();
        await ok(h, 'DELETE', `/api/domains/${d.id}`);
        rem.push(performance.now() - t);
      }
      const { profile } = await session.post('Profiler.stop');
      const self = new Map<string, number>();
      const dt = profile.timeDeltas ?? [];
      const byId = new Map(profile.nodes.map((nd) => [nd.id, nd]));
      (profile.samples ?? []).forEach((s, i) => {
        const nd = byId.get(s)!;
        const key = `${nd.callFrame.functionName || '(anon)'} ${nd.callFrame.url.split('/').slice(-2).join('/')}:${nd.callFrame.lineNumber}`;
        self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0) / 1000);
      });
      const top = [...self]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 25)
        .map(([k, ms]) => `${(ms / 40).toFixed(2)}ms ${k}`);
      const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[10]!.toFixed(1);
      out[`at_${n * 5}`] = {
        add_p50: med(add),
        remove_p50: med(rem),
        per_change_ms: Object.fromEntries(
          [...phases]
            .sort((a, b) => b[1].ms - a[1].ms)
            .map(([k, p]) => [k, `${(p.ms / 40).toFixed(2)} (x${p.n / 40})`]),
        ),
        cpu_self_per_change: top,
      };
      console.log(JSON.stringify(out[`at_${n * 5}`], null, 1));
    }
  } finally {
    session.disconnect();
    await h.stop();
    rmSync(homeBase, { recursive: true, force: true });
  }
  report('add-domain-profile', out);
});
