/** A response as tests see it. */
export interface TestResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** Send a request the way tests do: `body` as JSON, `raw` as is; the answer's body parsed when it is JSON. */
export async function sendTestRequest(
  url: string,
  method: string,
  headers: Record<string, string>,
  o: { body?: unknown; raw?: string | Buffer } = {},
): Promise<TestResponse> {
  let body: string | Buffer | undefined = o.raw;
  if (o.body !== undefined) {
    body = JSON.stringify(o.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(url, { method, headers, body: body as BodyInit | undefined });
  const text = await res.text();
  let parsed: any = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON */
  }
  return { status: res.status, headers: res.headers, body: parsed };
}
