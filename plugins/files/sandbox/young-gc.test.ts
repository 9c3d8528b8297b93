import { constants, type NodeGCPerformanceDetail, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import vm from 'node:vm';
import { expect, it } from 'vitest';
import { youngCollector } from './young-gc.js';

// Node gives a gc entry its kind in `detail`, which @types/node leaves off PerformanceEntry.
type GcEntry = PerformanceEntry & { detail?: NodeGCPerformanceDetail };

it('runs a young collection every few MB through a private handle: no global gc appears', async () => {
  const seen: GcEntry[] = [];
  const observer = new PerformanceObserver((list) => seen.push(...list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  const collect = youngCollector();
  collect(3 * 1024 * 1024); // under the threshold: nothing yet
  const from = performance.now();
  collect(3 * 1024 * 1024); // crosses it: the collection runs inside this call
  const to = performance.now();
  await new Promise((r) => setTimeout(r, 50));
  observer.disconnect();
  const minor = seen.filter((e) => e.detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR);
  expect(minor.some((e) => e.startTime >= from && e.startTime <= to)).toBe(true);
  expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
  expect(vm.runInNewContext('typeof gc')).toBe('undefined');
});
