import { describe } from 'vitest';

/** One conformance suite an extension point publishes; `register` declares vitest tests for a subject. */
export interface ConformanceSuite<S> {
  /** Extension point id the suite checks (e.g. `backup-targets`). */
  point: string;
  /** Run the suite against one entry, under a describe block named after the point and entry. */
  run(entryId: string, subject: () => S | Promise<S>): void;
}

/**
 * Publish a conformance suite for an extension point. Every entry — first-party or third-party —
 * runs the same suite unchanged, so the point's contract is proven the same way for all.
 *
 * @example
 * ```ts
 * export const backupTargetSuite = defineConformanceSuite<BackupTarget>('backup-targets', (get) => {
 *   it('puts and gets a stream', async () => { const t = await get(); ... });
 * });
 * // in a target's test file:
 * backupTargetSuite.run('local', () => makeLocalTarget(tmpDir));
 * ```
 */
export function defineConformanceSuite<S>(
  point: string,
  body: (subject: () => Promise<S>) => void,
): ConformanceSuite<S> {
  return {
    point,
    run(entryId, subject) {
      let cached: Promise<S> | undefined;
      const get = () => (cached ??= Promise.resolve(subject()));
      describe(`${point} conformance: ${entryId}`, () => body(get));
    },
  };
}
