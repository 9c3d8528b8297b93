import { parse } from 'smol-toml';
import { Compile } from 'typebox/compile';
import { Type } from '../../sdk/index.js';

// VeloServe's configuration as its source reads it (src/config/mod.rs, see veloserve-config.md).
// VeloServe ignores unknown keys, so objects stay open here too; types and required keys are checked.
const Str = Type.String();
const Bool = Type.Boolean();
const Int = Type.Integer({ minimum: 1 });

/** One `[[virtualhost]]` table. */
export const VirtualHostSchema = Type.Object({
  domain: Type.String({ minLength: 1 }),
  root: Type.String({ minLength: 1 }),
  platform: Type.Optional(
    Type.Union([Type.Literal('wordpress'), Type.Literal('magento2'), Type.Literal('laravel'), Type.Literal('generic')]),
  ),
  ssl_certificate: Type.Optional(Str),
  ssl_certificate_key: Type.Optional(Str),
  index: Type.Optional(Type.Array(Str)),
  error_pages: Type.Optional(Type.Record(Type.String(), Str)),
  cache: Type.Optional(
    Type.Object({
      enable: Type.Optional(Bool),
      ttl: Type.Optional(Int),
      vary: Type.Optional(Type.Array(Str)),
      exclude: Type.Optional(Type.Array(Str)),
    }),
  ),
});

/** The whole file: every top-level table is optional. */
export const VeloServeConfigSchema = Type.Object({
  server: Type.Optional(
    Type.Object({
      listen: Type.Optional(Str),
      listen_ssl: Type.Optional(Str),
      workers: Type.Optional(Str),
      max_connections: Type.Optional(Int),
      keepalive_timeout: Type.Optional(Int),
      request_timeout: Type.Optional(Int),
      max_body_size: Type.Optional(Str),
    }),
  ),
  php: Type.Optional(
    Type.Object({
      enable: Type.Optional(Bool),
      mode: Type.Optional(Type.Union([Type.Literal('cgi'), Type.Literal('socket'), Type.Literal('embed')])),
      version: Type.Optional(Str),
      workers: Type.Optional(Int),
      memory_limit: Type.Optional(Str),
      max_execution_time: Type.Optional(Int),
      binary_path: Type.Optional(Str),
      socket_path: Type.Optional(Str),
      error_log: Type.Optional(Str),
      display_errors: Type.Optional(Bool),
      ini_settings: Type.Optional(Type.Array(Str)),
    }),
  ),
  cache: Type.Optional(Type.Object({})),
  ssl: Type.Optional(
    Type.Object({ cert: Str, key: Str, protocols: Type.Optional(Type.Array(Str)), ocsp_stapling: Type.Optional(Bool) }),
  ),
  virtualhost: Type.Optional(Type.Array(VirtualHostSchema)),
});

const check = Compile(VeloServeConfigSchema);

/**
 * Parse and check a VeloServe config as the server would read it; returns the problem in one line,
 * or null when the file is acceptable. Also refuses what the server would silently get wrong: the
 * catch-all `*` before other hosts (first match wins) and a domain defined twice.
 */
export function checkVeloServeConfig(text: string): string | null {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    return `TOML: ${(e as Error).message.split('\n')[0]}`;
  }
  if (!check.Check(doc)) {
    const first = [...check.Errors(doc)][0];
    return `${first?.instancePath || '/'}: ${first?.message ?? 'invalid'}`;
  }
  const hosts = ((doc as { virtualhost?: { domain: string }[] }).virtualhost ?? []).map((v) => v.domain);
  const star = hosts.indexOf('*');
  if (star !== -1 && star !== hosts.length - 1)
    return "the catch-all virtual host '*' must come last (VeloServe uses the first match)";
  const seen = new Set<string>();
  for (const d of hosts) {
    if (seen.has(d)) return `virtual host '${d}' is defined twice`;
    seen.add(d);
  }
  return null;
}
