// Compiles core/, sdk/, plugins/ and cli/ to dist/ with tsc, then bundles typebox (vendor.mjs) and
// joins each entry point's modules (pack.mjs) for a fast cold start. `--if-needed` skips the build
// when dist/ is newer than every source file (so `npm start` stays fast after the first run).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pack } from './pack.mjs';
import { uiVendor } from './ui-vendor.mjs';
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

const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
};

/**
 * One build at a time: test files and `npm start` may ask for a build together, and a second
 * build rewriting dist/ under a panel that is starting breaks it. A lock left by a dead process
 * is taken over.
 */
function lockBuild() {
  const file = path.join(root, '.build-lock');
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => rmSync(file, { force: true });
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      const holder = Number(readFileSync(file, 'utf8'));
      if (holder && alive(holder)) Atomics.wait(pause, 0, 0, 200);
      else rmSync(file, { force: true });
    }
  }
}

const fresh = () => {
  const sources = Math.max(
    ...['core', 'sdk', 'plugins', 'cli'].map((d) => newest(path.join(root, d))),
    statSync(path.join(root, 'tsconfig.json')).mtimeMs,
    statSync(path.join(root, 'package.json')).mtimeMs,
  );
  return existsSync(stamp) && statSync(stamp).mtimeMs >= sources;
};
const ifNeeded = process.argv.includes('--if-needed');
if (ifNeeded && fresh()) process.exit(0);
const unlock = lockBuild();
try {
  // another process may have finished the same build while this one waited
  if (!(ifNeeded && fresh())) {
    process.stdout.write('velopanel: building (tsc)…\n');
    execFileSync(
      process.execPath,
      [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.json')],
      { stdio: 'inherit', cwd: root },
    );
    await vendor(root);
    await pack(root);
    await uiVendor();
    writeFileSync(stamp, new Date().toISOString());
  }
} finally {
  unlock();
}
