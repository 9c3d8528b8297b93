// The contract's lists answer `{ok, data}` only; the paging parameters add `total` when asked.
import { expect } from 'vitest';

/** A list answered as before paging existed: `ok` and `data` only (no `total`), with `rows` rows. */
export function expectPlainList(body: { data: unknown[] }, rows: number): void {
  expect(Object.keys(body)).toEqual(['ok', 'data']);
  expect(body.data).toHaveLength(rows);
}
