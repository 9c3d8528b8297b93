// A stand-in VeloServe CLI following the CLI contract, for tests of the veloserve engine without
// the real binary: `--version` answers like it, `--config FILE config test` and `config reload`
// run the shell lines a test gives (they may count calls, hold a test, or refuse a file).
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Shell lines run for `config test` (the file is `$2`) and for `config reload`; each ends with its exit. */
export interface VeloServeStandIn {
  test: string;
  reload: string;
}

/**
 * Write the stand-in as `dir/veloserve` and a pid file naming this process (so the engine sees a
 * running server); returns the veloserve plugin's `binary` and `pid_file` settings.
 */
export function veloserveStandIn(dir: string, on: VeloServeStandIn): { binary: string; pid_file: string } {
  const binary = path.join(dir, 'veloserve');
  writeFileSync(
    binary,
    `#!/bin/sh
if [ "$1" = "--version" ]; then echo "veloserve 1.4.2"; exit 0; fi
if [ "$3" = "config" ] && [ "$4" = "test" ]; then
${on.test}
fi
if [ "$3" = "config" ] && [ "$4" = "reload" ]; then
${on.reload}
fi
exit 2
`,
  );
  chmodSync(binary, 0o755);
  const pid_file = path.join(dir, 'veloserve.pid');
  writeFileSync(pid_file, `${process.pid}\n`);
  return { binary, pid_file };
}

/** Lines a stand-in's shell lines appended to `file` (e.g. one per config test), 0 when it has none yet. */
export function linesOf(file: string): number {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0;
}

/** The hosts VeloServe's main file serves (its `domain = "…"` lines). */
export function servedHosts(mainFile: string): string[] {
  return [...readFileSync(mainFile, 'utf8').matchAll(/^domain = "([^"]+)"/gm)].map((m) => m[1]!);
}
