// Compiles core/, sdk/, plugins/ and cli/ to dist/ with tsc, then bundles typebox (vendor.mjs) and
// joins each entry point's modules (pack.mjs) for a fast cold start. `--if-needed` skips the build
// when dist/ is newer than every source file (so `npm start` stays fast after the first run).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pack } from './pack.mjs';
import { vendor } from './vendor.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stamp = path.join(root, 'dist', '.build-stamp');

function newest(dir) {
  let t = 0;
  if (!existsSync(dir)) return t;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

const sources = Math.max(...['core', 'sdk', 'plugins', 'cli'].map((d) => newest(path.join(root, d))), statSync(path.join(root, 'tsconfig.json')).mtimeMs, statSync(path.join(root, 'package.json')).mtimeMs);
if (process.argv.includes('--if-needed') && existsSync(stamp) && statSync(stamp).mtimeMs >= sources) process.exit(0);
process.stdout.write('velopanel: building (tsc)…\n');
execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.json')], { stdio: 'inherit', cwd: root });
await vendor(root);
await pack(root);
writeFileSync(stamp, new Date().toISOString());
