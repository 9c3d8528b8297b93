import Type from 'typebox';

/** The panel's top-level configuration (the contract's keys plus kernel settings). */
export const ConfigSchema = Type.Object({
  mode: Type.Union([Type.Literal('local'), Type.Literal('linux')], {
    default: 'local',
    'x-error': 'must be "local" or "linux"',
  }),
  bind_address: Type.String({ default: '0.0.0.0', minLength: 1 }),
  bind_port: Type.Integer({ default: 7070, minimum: 0, maximum: 65535, 'x-error': 'must be a port number 0–65535' }),
  data_dir: Type.String({ default: './data', minLength: 1 }),
  database_url: Type.String({ default: '' }),
  jwt_secret: Type.String({ default: '' }),
  server_hostname: Type.String({ default: '' }),
  license_key_path: Type.String({ default: '' }),
  plugins_dir: Type.String({ default: '' }),
  trusted_proxies: Type.Array(Type.String(), { default: [] }),
  test_mode: Type.Boolean({ default: false }),
  body_limit_bytes: Type.Integer({ default: 1048576, minimum: 1024 }),
  plugin_start_timeout_ms: Type.Integer({ default: 10000, minimum: 100 }),
  hook_timeout_ms: Type.Integer({ default: 5000, minimum: 10 }),
  log_format: Type.Union([Type.Literal('json'), Type.Literal('pretty'), Type.Literal('auto')], { default: 'auto' }),
  log_level: Type.Union(
    [Type.Literal('debug'), Type.Literal('info'), Type.Literal('warn'), Type.Literal('error'), Type.Literal('silent')],
    { default: 'info' },
  ),
  plugins: Type.Record(Type.String(), Type.Record(Type.String(), Type.Unknown()), { default: {} }),
  tls_cert_path: Type.String({ default: '' }),
  tls_key_path: Type.String({ default: '' }),
  allow_plain_http: Type.Boolean({ default: false }),
  shutdown_grace_ms: Type.Integer({
    default: 10000,
    minimum: 0,
    maximum: 3600000,
    'x-error': 'must be 0–3600000 milliseconds',
  }),
  metrics_public_on_loopback: Type.Boolean({ default: false }),
  lease_ttl_ms: Type.Integer({
    default: 30000,
    minimum: 300,
    maximum: 600000,
    'x-error': 'must be 300–600000 milliseconds',
  }),
  metrics_token: Type.String({
    default: '',
    maxLength: 512,
    pattern: '^(|[\\x21-\\x7e]{32,})$',
    'x-error': 'must be empty or at least 32 printable characters without spaces',
  }),
});

export interface PanelConfig {
  mode: 'local' | 'linux';
  bind_address: string;
  bind_port: number;
  data_dir: string;
  database_url: string;
  jwt_secret: string;
  server_hostname: string;
  license_key_path: string;
  plugins_dir: string;
  trusted_proxies: string[];
  test_mode: boolean;
  body_limit_bytes: number;
  plugin_start_timeout_ms: number;
  hook_timeout_ms: number;
  log_format: 'json' | 'pretty' | 'auto';
  log_level: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** `[plugins.<id>]` sections, validated by each plugin's own schema when it loads. */
  plugins: Record<string, Record<string, unknown>>;
  /** PEM certificate chain and key the listener serves HTTPS with (both or neither; reloaded when they change). */
  tls_cert_path: string;
  tls_key_path: string;
  /** Plain HTTP on a non-loopback address without the start-up warning (e.g. behind a TLS proxy). */
  allow_plain_http: boolean;
  /** How long a graceful stop (SIGTERM) waits for running jobs before aborting them. */
  shutdown_grace_ms: number;
  /**
   * How long a node's lease (the scheduler, its presence) lasts without renewal: another node
   * sharing the store takes over this long after the holder died. Renewed every third of it.
   */
  lease_ttl_ms: number;
  /**
   * Linux mode: serve `/metrics` to loopback clients without a token. Off by default, because
   * tenants' PHP and shells run on the same host; local mode always serves loopback freely.
   */
  metrics_public_on_loopback: boolean;
  /** A bearer token a scraper may present for `/metrics` instead of an admin token (empty: none). */
  metrics_token: string;
  /**
   * Top-level keys the kernel does not know, passed to the plugins whose config schema names them
   * (e.g. a plugin's `acme_email`); at start, a key no plugin takes is refused as unknown.
   */
  top_level?: Record<string, unknown>;
}
