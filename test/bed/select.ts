// Which services this run needs: the spec files vitest selected, grepped for useServices(...).
import { readFileSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { SERVICE_NAMES, isServiceName, type ServiceName } from './types.js';

const CALL = /useServices\s*\(([^)]*)\)/g;
const NAME = /['"`]([a-z0-9]+)['"`]/g;

/** Service names literally listed in useServices(...) calls of this source text. */
export function servicesInSource(source: string): { names: ServiceName[]; unknown: string[] } {
  const names = new Set<ServiceName>();
  const unknown = new Set<string>();
  for (const call of source.matchAll(CALL)) {
    for (const [, name] of (call[1] ?? '').matchAll(NAME)) {
      if (name && isServiceName(name)) names.add(name);
      else if (name) unknown.add(name);
    }
  }
  return { names: [...names], unknown: [...unknown] };
}

/**
 * Spec files of this run: vitest 4 records the selected specs (`state.getPaths()`) right before
 * it calls globalSetup. Empty means no file matched, so nothing is needed. Should a future vitest
 * call globalSetup earlier, files get "not started" and fail under CI rather than pass silently.
 */
export function selectedFiles(project: TestProject): string[] {
  return project.vitest.state.getPaths();
}

/** VELOPANEL_BED_SERVICES=all|name,name forces services on; unknown names are an error. */
function forced(): ServiceName[] {
  const raw = process.env.VELOPANEL_BED_SERVICES?.trim();
  if (!raw) return [];
  if (raw === 'all') return [...SERVICE_NAMES];
  const list = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = list.filter((n) => !isServiceName(n));
  if (bad.length)
    throw new Error(
      `VELOPANEL_BED_SERVICES: unknown service(s) ${bad.join(', ')} (known: ${SERVICE_NAMES.join(', ')})`,
    );
  return list as ServiceName[];
}

export function neededServices(files: string[]): ServiceName[] {
  const needed = new Set<ServiceName>(forced());
  for (const file of files) {
    let source: string;
    try {
      source = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const { names, unknown } = servicesInSource(source);
    if (unknown.length) throw new Error(`${file}: useServices() names unknown service(s) ${unknown.join(', ')}`);
    names.forEach((n) => needed.add(n));
  }
  return SERVICE_NAMES.filter((n) => needed.has(n));
}

/** VELOPANEL_BED_DISABLE=name,name: pretend these are unavailable (to test skip/fail paths). */
export function disabledServices(): Set<string> {
  return new Set(
    (process.env.VELOPANEL_BED_DISABLE ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
}
