// Start-up plumbing of the service modules that own a temp dir and one daemon: whatever fails
// half-way leaves neither the daemon nor the dir behind.
import { bedTempDir, removeDir } from './proc.js';

/** Runs `start` in a fresh bed temp dir, which is removed again when the start fails. */
export async function inBedDir<T>(name: string, start: (dir: string) => Promise<T>): Promise<T> {
  const dir = bedTempDir(name);
  try {
    return await start(dir);
  } catch (e) {
    removeDir(dir);
    throw e;
  }
}

/** What `ready` answers, or — when it fails — the daemon stopped (with its dir) and the error. */
export async function readyOrStop<T>(stop: () => Promise<void>, ready: () => Promise<T>): Promise<T> {
  try {
    return await ready();
  } catch (e) {
    await stop().catch(() => undefined);
    throw e;
  }
}
