// The contract's lists answer `{ok, data}` only; the paging parameters add `total` when asked.
import { expect } from 'vitest';

/** The rows of a list answered as before paging existed: `ok` and `data` only (no `total`), `rows` of them. */
export async function plainList(answer: Promise<{ body: { data: any[] } }>, rows: number): Promise<any[]> {
  const { body } = await answer;
  expect(Object.keys(body)).toEqual(['ok', 'data']);
  expect(body.data).toHaveLength(rows);
  return body.data;
}
