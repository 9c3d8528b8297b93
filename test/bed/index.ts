// Real-service test bed: how a test file asks for services.
//
//   import { describe, it, expect } from 'vitest';
//   import { useServices } from '../bed/index.js';        // path relative to the test file
//
//   const bed = useServices('mariadb', 'nginx');           // top level, literal names (see below)
//
//   describe.skipIf(bed.skip)('databases on MariaDB', () => {
//     it('creates a database', async () => {
//       const { host, port, adminUser, adminPassword } = bed.mariadb;
//       …
//     });
//   });
//
// The global setup (test/bed/global-setup.ts) greps the selected spec files for
// `useServices('name', …)` and starts only those services, so list the names literally in the spec
// file itself (not behind a variable or inside a shared helper). Known names: see SERVICE_NAMES.
//
// If a service is unavailable (not installed, failed to start, VELOPANEL_BED_DISABLE):
//   - with env CI set, useServices throws and the whole file fails, naming the service;
//   - otherwise it prints one loud `[test-bed] SKIPPING <file>: …` line and returns skip: true;
//     reading `bed.<service>` then throws, so keep such reads inside skipIf'd blocks.
// Files that create Linux users also need root: `const root = requireRoot();` (same rule) and
// `describe.skipIf(bed.skip || root.skip)`. Helpers for using the services: ./helpers/*.ts.
import { expect, inject } from 'vitest';
import type { BedState, ServiceInfoMap, ServiceName } from './types.js';

export type { ServiceInfoMap, ServiceName } from './types.js';

export type Bed<N extends ServiceName> = {
  /** true when some requested service is unavailable (never true under CI: that throws) */
  readonly skip: boolean;
  readonly reason: string | undefined;
} & { readonly [K in N]: ServiceInfoMap[K] };

function callerFile(): string {
  const fromVitest = expect.getState().testPath;
  if (fromVitest) return fromVitest;
  const frame = new Error().stack?.split('\n').find((l) => /\.(test|spec)\.[cm]?[jt]s/.test(l));
  return frame?.match(/(\/[^\s:()]+\.(?:test|spec)\.[cm]?[jt]s)/)?.[1] ?? '(unknown test file)';
}

function relative(file: string): string {
  const cwd = process.cwd() + '/';
  return file.startsWith(cwd) ? file.slice(cwd.length) : file;
}

function bedState(): BedState | undefined {
  try {
    return inject('velopanelBed');
  } catch {
    return undefined;
  }
}

const underCI = (): boolean => !!process.env.CI && !/^(0|false)$/i.test(process.env.CI);

/** Fail (CI) or loudly skip (otherwise) with `reason` for the calling file. */
function unavailable(reason: string): void {
  if (underCI()) throw new Error(`[test-bed] ${relative(callerFile())}: ${reason}`);
  console.warn(`[test-bed] SKIPPING ${relative(callerFile())}: ${reason}`);
}

/** For files that need root (real users, chown): same fail-under-CI / skip-loudly rule. */
export function requireRoot(): { readonly skip: boolean } {
  const root = process.getuid?.() === 0;
  if (!root) unavailable('root unavailable: this file creates Linux users (run as root; CI does)');
  return { skip: !root };
}

export function useServices<N extends ServiceName>(...names: N[]): Bed<N> {
  const state = bedState();
  const problems: string[] = [];
  const infos: Partial<ServiceInfoMap> = {};
  for (const name of names) {
    const status = state?.services[name];
    if (!state)
      problems.push(`${name} unavailable: the test-bed global setup did not run (vitest.config.ts globalSetup)`);
    else if (!status)
      problems.push(`${name} unavailable: not started (the global setup starts what spec files list literally)`);
    else if (!status.ok) problems.push(`${name} unavailable: ${status.reason}`);
    else (infos as Record<string, unknown>)[name] = status.info;
  }
  const reason = problems.length ? problems.join('; ') : undefined;
  if (reason) unavailable(reason);
  const bed = { skip: reason !== undefined, reason };
  for (const name of names) {
    Object.defineProperty(bed, name, {
      enumerable: true,
      get: () => {
        const info = infos[name];
        if (!info)
          throw new Error(`[test-bed] ${name} is unavailable (${reason}); guard with describe.skipIf(bed.skip)`);
        return info;
      },
    });
  }
  return bed as Bed<N>;
}
