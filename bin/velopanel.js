#!/usr/bin/env node
// The `velopanel` command: compile the TypeScript sources to dist/ when they changed (the compiler's
// output goes to stderr, so `--json` output stays clean), then run the compiled CLI.
// VELOPANEL_NO_BUILD=1 skips the check (an installed copy that is built already).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const main = path.join(root, 'dist', 'cli', 'main.js');
const skip = process.env.VELOPANEL_NO_BUILD === '1' && existsSync(main);
const build = skip
  ? { status: 0 }
  : spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs'), '--if-needed'], {
      cwd: root,
      stdio: ['ignore', 2, 'pipe'],
    });
if (build.status !== 0) {
  if (!existsSync(main)) {
    process.stderr.write('velopanel: the build failed and there is no earlier build to run\n');
    process.exit(1);
  }
  process.stderr.write('velopanel: the build reported errors; running the last build\n');
}
const { run } = await import(pathToFileURL(main).href);
const code = await run(process.argv.slice(2));
// `serve` keeps running; every other command ends here, once its output is flushed.
if (code !== null) process.stdout.write('', () => process.exit(code));
