// Installing sdk/examples/backup-mount the way an operator installs a third-party plugin: the
// package copied into a plugins_dir whose node_modules links the SDK (`velopanel`), then built
// with TypeScript on its own tsconfig — nothing of the panel but the SDK in reach.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const EXAMPLE = path.join(ROOT, 'sdk', 'examples', 'backup-mount');

/** Where the example got installed. */
export interface InstalledExample {
  pluginsDir: string;
  dir: string;
}

let installed: InstalledExample | null = null;

/** Copy, link and build the example once per test file. Throws with the compiler's output when the build fails. */
export function installExample(): InstalledExample {
  if (installed) return installed;
  const pluginsDir = mkdtempSync(path.join(os.tmpdir(), 'vp-plugins-'));
  const dir = path.join(pluginsDir, 'backup-mount');
  cpSync(EXAMPLE, dir, { recursive: true, filter: (src) => !/[/\\](node_modules|dist)$/.test(src) });
  mkdirSync(path.join(pluginsDir, 'node_modules'));
  // In production this link points at the panel's dist/ (scripts/install-service.sh makes it);
  // under vitest the sources are what the running panel uses.
  symlinkSync(ROOT, path.join(pluginsDir, 'node_modules', 'velopanel'));
  const tsc = spawnSync(
    process.execPath,
    [
      path.join(ROOT, 'node_modules/typescript/bin/tsc'),
      '-p',
      dir,
      '--typeRoots',
      path.join(ROOT, 'node_modules/@types'),
    ],
    { encoding: 'utf8' },
  );
  if (tsc.status !== 0 || !existsSync(path.join(dir, 'dist', 'index.js')))
    throw new Error(`the example plugin does not build on its own:\n${tsc.stdout}${tsc.stderr}`);
  return (installed = { pluginsDir, dir });
}

/** The built example in a fresh plugins_dir whose SDK link points at the panel's dist/, as scripts/install-service.sh links it. */
export function installBuiltExampleForDist(): InstalledExample {
  const built = installExample();
  const pluginsDir = mkdtempSync(path.join(os.tmpdir(), 'vp-plugins-dist-'));
  const dir = path.join(pluginsDir, 'backup-mount');
  cpSync(built.dir, dir, { recursive: true });
  mkdirSync(path.join(pluginsDir, 'node_modules'));
  symlinkSync(path.join(ROOT, 'dist'), path.join(pluginsDir, 'node_modules', 'velopanel'));
  return { pluginsDir, dir };
}
