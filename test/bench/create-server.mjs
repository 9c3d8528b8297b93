// The panel of the account-creation benchmark in its own process, as production runs it (the
// built panel from dist/, config/runtime.env applied by the caller), out of test mode so passwords
// get the production scrypt cost: accounts + domains + nginx (the caller's private nginx, real
// config tests and reloads). `node create-server.mjs '<json: {homeBase, nginx}>'` prints one JSON
// line {url, token} and serves until SIGTERM.
import 'reflect-metadata';
import { startTestPanel } from '../../dist/sdk/testing/harness.js';

const { homeBase, nginx } = JSON.parse(process.argv[2]);
const panel = await startTestPanel({
  plugins: ['accounts', 'domains', 'nginx'],
  tier: 'none',
  config: {
    test_mode: false,
    max_accounts_free: 1_000_000,
    max_domains_free: 1_000_000,
    mode: 'local',
    home_base: homeBase,
    plugins: { domains: { engine: 'nginx' }, nginx },
  },
});
process.on('SIGTERM', () => void panel.stop().finally(() => process.exit(0)));
process.stdout.write(`${JSON.stringify({ url: panel.url, token: panel.tokens.admin })}\n`);
