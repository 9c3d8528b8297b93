// A panel with the files plugin in its own process (so its peak RSS is measured alone), built
// from dist/. Prints one JSON line {url, token, home} and serves until killed.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import 'reflect-metadata';
import { accountDirectory, accountRef, definePlugin } from '../../dist/sdk/index.js';
import { startTestPanel } from '../../dist/sdk/testing/index.js';

const home = process.argv[2];
mkdirSync(home, { recursive: true });
const account = {
  id: 1, username: 'bench', primary_domain: 'bench.test', email: 'bench@example.test', plan: 'business', status: 'active',
  home_dir: home, uid: null, gid: null, disk_quota_mb: 0, bandwidth_quota_mb: 0, reseller_id: null, created_at: '2026-01-01 00:00:00',
};
const stub = definePlugin({
  manifest: { id: 'bench-accounts', version: '1.0.0', sdk: '^1.0.0' },
  start(ctx) {
    ctx.services.provide(accountDirectory, {
      get: async (id) => (id === 1 ? account : null), byUsername: async () => account, list: async () => [account],
      owner: async (id) => (id === 1 ? { ref: accountRef(1), resellerId: null } : null),
    });
  },
});
const panel = await startTestPanel({ plugins: ['files'], inline: [stub], config: { home_base: path.dirname(home), plugins: { files: { upload_limit_mb: 1 << 20 } } } });
process.stdout.write(`${JSON.stringify({ url: panel.url, token: panel.tokens.admin, home })}\n`);
process.on('SIGTERM', () => void panel.stop().then(() => process.exit(0)));
