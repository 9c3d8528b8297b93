import { afterEach, describe, expect, it, vi } from 'vitest';
import { throttledProgress } from './progress.js';

describe('throttledProgress', () => {
  afterEach(() => vi.useRealTimers());

  it('marks one call a window for the row and writes the last one when the window ends', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const writes: [unknown, boolean][] = [];
    const progress = throttledProgress((u, persist) => writes.push([u, persist]));
    progress(10, 'a');
    progress(20.04);
    progress(150, 'c');
    expect(writes).toEqual([
      [{ progress: 10, message: 'a' }, true],
      [{ progress: 20, message: null }, false],
      [{ progress: 100, message: 'c' }, false],
    ]);
    vi.advanceTimersByTime(250);
    expect(writes.at(-1)).toEqual([null, true]);
    expect(writes).toHaveLength(4);
    progress(50);
    expect(writes.at(-1)).toEqual([{ progress: 50, message: null }, false]);
    vi.advanceTimersByTime(250);
    expect(writes.at(-1)).toEqual([null, true]);
  });
});
