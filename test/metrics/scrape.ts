// Reading a /metrics answer the way a scraper does: every sample line checked against the text
// format, then looked up by `name{labels}` exactly as written.
import { expect } from 'vitest';

const SAMPLE =
  /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*",?)*\})? (-?[0-9.e+-]+|\+Inf|-Inf|NaN)$/;

/** Samples of an exposition by their `name{labels}` text; fails the test on a malformed line. */
export function parseExposition(text: string): Map<string, number> {
  expect(text.endsWith('\n')).toBe(true);
  const out = new Map<string, number>();
  for (const line of text.trimEnd().split('\n')) {
    if (/^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* /.test(line)) continue;
    const m = SAMPLE.exec(line);
    expect(m, `malformed sample line: ${line}`).not.toBeNull();
    out.set(`${m![1]}${m![2] ?? ''}`, m![3] === '+Inf' ? Infinity : Number(m![3]));
  }
  return out;
}

/** GET /metrics, optionally as a forwarded client and with a bearer token. */
export async function scrape(
  url: string,
  opts: { forwardedFor?: string; token?: string } = {},
): Promise<{ status: number; type: string | null; text: string }> {
  const headers: Record<string, string> = {};
  if (opts.forwardedFor) headers['x-forwarded-for'] = opts.forwardedFor;
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const res = await fetch(`${url}/metrics`, { headers });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}
