import { RAW_RESPONSE, type RouteDefinition } from '../../sdk/routes.js';
import { sendJson } from '../http/envelope.js';
import type { Kernel } from '../kernel.js';
import type { RouteRecord } from '../http/types.js';

const ENVELOPE_ERROR = {
  type: 'object',
  required: ['ok', 'error'],
  properties: {
    ok: { const: false },
    error: { type: 'string' },
    code: { type: 'string' },
    request_id: { type: 'string' },
  },
};

function strip(schema: any): any {
  return JSON.parse(JSON.stringify(schema ?? {}, (k, v) => (k.startsWith('x-') || k === '~kind' ? undefined : v)));
}

function parameters(r: RouteRecord): any[] {
  const out: any[] = [];
  for (const [where, v] of [
    ['path', r.params],
    ['query', r.query],
  ] as const) {
    const props = (v?.schema as any)?.properties ?? {};
    const required: string[] = (v?.schema as any)?.required ?? [];
    for (const [name, schema] of Object.entries(props))
      out.push({ name, in: where, required: where === 'path' || required.includes(name), schema: strip(schema) });
  }
  for (const m of r.def.path.matchAll(/:(\w+)/g))
    if (!out.some((p) => p.name === m[1] && p.in === 'path'))
      out.push({ name: m[1], in: 'path', required: true, schema: { type: 'string' } });
  return out;
}

/** OpenAPI 3.1 built from the live route table: every route with its auth, role, scope and tier. */
export function buildOpenApi(k: Kernel): unknown {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of k.http.routes) {
    const a = r.def.access;
    const p = r.def.path.replace(/:(\w+)/g, '{$1}');
    const op: Record<string, unknown> = {
      operationId: `${r.def.method.toLowerCase()}${p.replace(/[^a-zA-Z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      summary: r.def.summary ?? `${r.def.method} ${r.def.path}`,
      tags: [r.pluginId],
      parameters: parameters(r),
      security: a.public ? [] : [{ bearer: [] }, { cookie: [] }],
      'x-velopanel-access': {
        public: !!a.public,
        roles: a.public ? null : (a.roles ?? ['admin', 'reseller', 'user']),
        scope: a.scope ?? null,
        tier: a.tier ?? k.plugins.slots.get(r.pluginId)?.manifest?.tier ?? 'community',
        feature: a.feature ?? null,
        ownership_check: !!a.owner,
        mutating: r.mutating,
      },
      responses: {
        [String(r.def.status ?? 200)]: {
          description: 'Success',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: { ok: { const: true }, data: strip(r.def.schema?.response ?? {}) },
              },
            },
          },
        },
        default: { description: 'Error envelope', content: { 'application/json': { schema: ENVELOPE_ERROR } } },
      },
    };
    if (r.body) op.requestBody = { required: true, content: { 'application/json': { schema: strip(r.body.schema) } } };
    (paths[p] ??= {})[r.def.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'VeloPanel API', version: k.version },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        cookie: { type: 'apiKey', in: 'cookie', name: 'velopanel_token' },
      },
    },
    paths,
  };
}

export function openApiRoute(k: Kernel): RouteDefinition {
  // Served as the bare document (not enveloped) so OpenAPI tools read it directly.
  return {
    method: 'GET',
    path: '/api/openapi.json',
    summary: 'This API description (OpenAPI 3.1)',
    access: { public: true },
    handler: (req) => {
      sendJson(req.res, 200, buildOpenApi(k));
      return RAW_RESPONSE;
    },
  };
}
