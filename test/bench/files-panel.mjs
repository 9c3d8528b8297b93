// A panel in its own process, started as `velopanel serve` starts it (createPanel on a loaded
// config: production password hashing, no test harness, no HTTP client inside), with only the
// files plugin and a stand-in account directory, so its RSS is what the file manager costs.
// The benchmark creates the admin and logs in over HTTP, as a browser would.
//   node files-panel.mjs <home> [local|linux] [uid] [gid]
// Prints one JSON line {url, setup_code} and serves until SIGTERM (linux mode needs the code even on loopback).
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import 'reflect-metadata';
import { createPanel, loadConfig } from '../../dist/core/panel.js';
import { accountDirectory, accountRef, definePlugin } from '../../dist/sdk/index.js';

const [home, mode = 'local', uid, gid] = process.argv.slice(2);
mkdirSync(home, { recursive: true });
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'vp-files-bench-data-'));
const account = {
  id: 1,
  username: 'bench',
  primary_domain: 'bench.test',
  email: 'bench@example.test',
  plan: 'business',
  status: 'active',
  home_dir: home,
  uid: uid ? Number(uid) : null,
  gid: gid ? Number(gid) : null,
  disk_quota_mb: 0,
  bandwidth_quota_mb: 0,
  reseller_id: null,
  created_at: '2026-01-01 00:00:00',
};
const stub = definePlugin({
  manifest: { id: 'bench-accounts', version: '1.0.0', sdk: '^1.0.0' },
  start(ctx) {
    ctx.services.provide(accountDirectory, {
      get: async (id) => (id === 1 ? account : null),
      byUsername: async () => account,
      list: async () => [account],
      owner: async (id) => (id === 1 ? { ref: accountRef(1), resellerId: null } : null),
    });
  },
});
const config = loadConfig({
  env: {},
  overrides: {
    mode,
    bind_address: '127.0.0.1',
    bind_port: 0,
    data_dir: dataDir,
    database_url: '',
    log_level: 'error',
    plugins: { files: { upload_limit_mb: 1 << 20 } },
  },
});
const kernel = createPanel(config, { onlyPlugins: ['files'], inlinePlugins: [stub] });
const addr = await kernel.start();
const setupCode = readFileSync(path.join(dataDir, 'setup-code'), 'utf8').trim();
process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${addr.port}`, setup_code: setupCode })}\n`);
process.on(
  'SIGTERM',
  () =>
    void kernel.stop(1000).finally(() => {
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    }),
);
