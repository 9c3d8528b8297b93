// `npm test`: make sure the real services the test bed needs are installed, then run vitest
// (extra arguments are forwarded: `npm test -- test/smoke -t mariadb`) and exit with its code.
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const install = spawnSync('sh', [join(root, 'scripts', 'install-services.sh')], { cwd: root, stdio: 'inherit' });
if (install.status !== 0) {
  console.error(
    `[test] scripts/install-services.sh failed (${install.signal ?? install.status}); running the tests anyway`,
  );
}

const vitest = spawn('npx', ['vitest', 'run', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
// Ctrl-C reaches vitest through the terminal's process group; stay alive until it has torn the bed down
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (signal !== 'SIGINT') vitest.kill(signal);
  });
}
vitest.on('error', (e) => {
  console.error(`[test] could not run vitest: ${e.message}`);
  process.exit(1);
});
vitest.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 1)));
