// `npm run bench -- <name>`: runs test/bench/<name>.bench.ts under vitest and ends with the one
// JSON line of figures the benchmark printed (it includes the ratio to its same-run baseline).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const name = process.argv[2];
const available = readdirSync(path.join(root, 'test/bench'))
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''));
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <name>   (available: ${available.join(', ')})`);
  process.exit(2);
}
spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--if-needed'], { stdio: 'inherit', cwd: root });
const run = spawnSync(
  process.execPath,
  [
    path.join(root, 'node_modules/vitest/vitest.mjs'),
    'run',
    '--config',
    'test/bench/vitest.bench.config.ts',
    `test/bench/${name}.bench.ts`,
  ],
  {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, VELOPANEL_BENCH: '1' },
    maxBuffer: 64 * 1024 * 1024,
  },
);
process.stderr.write(run.stdout + run.stderr);
const line = `${run.stdout}\n${run.stderr}`
  .split('\n')
  .map((l) => l.trim())
  .reverse()
  .find((l) => l.startsWith('{"bench":'));
if (!line) {
  console.error(`bench ${name}: no result line (exit ${run.status})`);
  process.exit(1);
}
console.log(line);
process.exit(run.status ?? 1);
