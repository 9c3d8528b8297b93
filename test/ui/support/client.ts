// The UI client compiled for this test process into its own temp dir (parallel test files never
// write into each other's output), handed to the ui plugin as `[plugins.ui] client_dir`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../../..');
let compiled: string | null = null;

/** Compile plugins/ui/client once per process; returns the output directory. */
export function compiledClient(): string {
  if (compiled) return compiled;
  const out = mkdtempSync(path.join(os.tmpdir(), 'velopanel-ui-client-'));
  execFileSync(
    process.execPath,
    [
      path.join(root, 'node_modules/typescript/bin/tsc'),
      '-p',
      path.join(root, 'plugins/ui/client/tsconfig.json'),
      '--outDir',
      out,
    ],
    { cwd: root, stdio: 'pipe' },
  );
  // the lazily loaded vendor modules (the code editor), bundled as the build does
  execFileSync(process.execPath, [path.join(root, 'scripts/ui-vendor.mjs'), out], { cwd: root, stdio: 'pipe' });
  compiled = out;
  return out;
}

/** Config section that makes the ui plugin serve the client compiled for this process. */
export function uiConfig(): Record<string, unknown> {
  return { ui: { client_dir: compiledClient() } };
}
