// One data dir and home base that crash tests restart panels on (the real accounts, domains,
// VeloServe engine and backups plugins), in local or linux mode.
import { rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll } from 'vitest';
import type { TestPanel, TestPanelOptions } from '../../sdk/testing/index.js';
import { openTempDir, startHostingPanel, waitReconciled, type HostingPanel } from '../webserver/helpers.js';

export interface CrashBed {
  dataDir: string;
  homes: string;
  /** What the child panel is started with (the same plugins and config as {@link restart}). */
  options(): TestPanelOptions;
  /** An in-process panel on the same data (no failpoint armed); `backups: false` leaves that plugin out. */
  restart(opts?: { backups?: boolean }): Promise<HostingPanel>;
  /** Wait for both start-up settlements; the accounts report and what backups settled. */
  recovered(panel: TestPanel): Promise<{ accounts: any; notes: string[] }>;
}

/** Register beforeAll/afterAll making (and removing) the bed's directories. */
export function crashBed(mode: 'local' | 'linux' = 'local'): CrashBed {
  const bed = {
    dataDir: '',
    homes: '',
    options: () => ({
      plugins: ['accounts', 'domains', 'veloserve', 'backups'],
      tier: 'business' as const,
      config: {
        mode,
        home_base: bed.homes,
        data_dir: bed.dataDir,
        plugins: { domains: { engine: 'veloserve' } },
      } as never,
    }),
    restart: (opts: { backups?: boolean } = {}) =>
      startHostingPanel({
        engine: 'veloserve',
        mode,
        homeBase: bed.homes,
        config: { data_dir: bed.dataDir },
        extra: opts.backups === false ? [] : ['backups'],
      }),
    async recovered(panel: TestPanel) {
      const reconciled = await waitReconciled(panel);
      for (let i = 0; i < 400; i++) {
        const r = (await panel.request('GET', '/api/backups/recovery')).body.data;
        if (r.state !== 'pending') return { accounts: reconciled.accounts, notes: r.notes as string[] };
        await sleep(25);
      }
      throw new Error('backups recovery did not finish');
    },
  };
  beforeAll(() => {
    bed.dataDir = openTempDir('velopanel-crash-data-');
    bed.homes = openTempDir('velopanel-crash-homes-');
  });
  afterAll(() => {
    for (const d of [bed.dataDir, bed.homes]) if (d) rmSync(d, { recursive: true, force: true });
  });
  return bed;
}
