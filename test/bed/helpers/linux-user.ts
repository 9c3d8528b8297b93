// Throwaway Linux accounts for tests that need a real uid (php-fpm pools, SFTP, file ownership).
// Root only. Names are `vpt` + random hex; always removed (userdel -r -f) in finally/afterAll.
//
//   const user = useThrowawayUser();              // beforeAll creates, afterAll removes
//   it('…', () => { user().name; user().uid; });
//   await withThrowawayUser(async (u) => { … });  // or scoped to one block
import { afterAll, beforeAll } from 'vitest';
import { createThrowawayUser, type ThrowawayUser, type UserOptions } from '../users.js';

export { createThrowawayUser, type ThrowawayUser, type UserOptions } from '../users.js';

/** Creates a user, runs fn, removes the user even when fn throws. */
export async function withThrowawayUser<T>(fn: (u: ThrowawayUser) => Promise<T>, opts?: UserOptions): Promise<T> {
  const u = await createThrowawayUser(opts);
  try {
    return await fn(u);
  } finally {
    await u.remove();
  }
}

/** vitest hooks: the user exists for the whole describe/file and is removed in afterAll. */
export function useThrowawayUser(opts?: UserOptions): () => ThrowawayUser {
  let user: ThrowawayUser | undefined;
  beforeAll(async () => {
    user = await createThrowawayUser(opts);
  });
  afterAll(async () => {
    await user?.remove();
  });
  return () => {
    if (!user) throw new Error('throwaway user not created yet (use it inside tests/hooks)');
    return user;
  };
}
