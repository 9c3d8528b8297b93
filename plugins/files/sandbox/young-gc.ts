import v8 from 'node:v8';
import vm from 'node:vm';

/** Bytes streamed between two young-generation collections. */
const EVERY = 4 * 1024 * 1024;

let collect: ((options: { type: 'minor' }) => void) | null | undefined;

/**
 * V8's collector, obtained once without starting Node with --expose-gc (the way jest's leak
 * detector does it): the flag is on only while one throwaway context is created, so no other
 * code sees a global `gc`. Null where the engine refuses.
 */
function collector(): typeof collect {
  if (collect !== undefined) return collect;
  try {
    v8.setFlagsFromString('--expose-gc');
    collect = vm.runInNewContext('gc') as typeof collect;
  } catch {
    collect = null;
  } finally {
    v8.setFlagsFromString('--no-expose-gc');
  }
  return collect;
}

/**
 * Counts bytes of a large transfer and runs a young-generation collection every few MB. Each
 * socket read is a fresh 64 KiB buffer whose memory V8 returns only when it collects the small
 * object holding it; a streamed upload makes few such objects per MB, so V8 would collect only
 * once ~64 MB of them piled up. A scavenge every 4 MB keeps that pile small for ~1 ms each.
 */
export function youngCollector(): (bytes: number) => void {
  let pending = 0;
  return (bytes) => {
    pending += bytes;
    if (pending < EVERY) return;
    pending = 0;
    collector()?.({ type: 'minor' });
  };
}
