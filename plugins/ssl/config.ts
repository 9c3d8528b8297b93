import path from 'node:path';
import { Type, type PanelSettings, type Static } from '../../sdk/index.js';

/** Let's Encrypt's ACME directories (the contract's `acme_staging` switches between them). */
export const LETS_ENCRYPT = {
  production: 'https://acme-v02.api.letsencrypt.org/directory',
  staging: 'https://acme-staging-v02.api.letsencrypt.org/directory',
} as const;

const ABS_PATH = {
  pattern: '^(/[A-Za-z0-9._+@=,~-]+)+$',
  'x-error': 'must be an absolute path of letters, digits and ._+@=,~-',
};
const OptionalPath = Type.Union([Type.Literal(''), Type.String(ABS_PATH)], {
  default: '',
  'x-error': ABS_PATH['x-error'],
});

/** `[plugins.ssl]` section. */
export const SslConfig = Type.Object({
  /** Account e-mail at the CA; also accepted at the top level of the config, as the API reference documents it. */
  acme_email: Type.String({ default: '' }),
  /** Let's Encrypt's staging directory instead of production (top level too). */
  acme_staging: Type.Boolean({ default: false }),
  /** Any ACME directory URL; empty: Let's Encrypt (staging when `acme_staging`). */
  directory_url: Type.Union(
    [Type.Literal(''), Type.String({ pattern: '^https://[A-Za-z0-9.:\\[\\]_-]+(/[A-Za-z0-9._~%/-]*)?$' })],
    { default: '', 'x-error': 'must be an https:// URL' },
  ),
  /** PEM file of a private CA to trust for the directory's HTTPS (e.g. pebble's). */
  ca_file: OptionalPath,
  /** Where certificates live; empty: /etc/veloserve/ssl (linux mode) or <data_dir>/ssl (local mode). */
  store_dir: OptionalPath,
  /** UTC time of the daily renewal run. */
  renew_time: Type.String({
    default: '03:30',
    pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$',
    'x-error': 'must be a time HH:MM (UTC)',
  }),
  /** Certificates expiring within this many days are renewed. */
  renew_before_days: Type.Integer({ default: 30, minimum: 1, maximum: 90 }),
  /** Polling of the CA while it validates and issues (acme-client backoff). */
  backoff_min_ms: Type.Integer({ default: 3000, minimum: 10, maximum: 60_000 }),
  backoff_max_ms: Type.Integer({ default: 30_000, minimum: 10, maximum: 300_000 }),
  backoff_attempts: Type.Integer({ default: 10, minimum: 1, maximum: 100 }),
  /** An order that takes longer fails (nothing is written). */
  order_timeout_ms: Type.Integer({ default: 300_000, minimum: 1000, maximum: 3_600_000 }),
  /** The panel's own HTTPS: `acme` obtains and renews a certificate for `server_hostname`. */
  panel_certificate: Type.Union([Type.Literal('off'), Type.Literal('acme')], {
    default: 'off',
    'x-error': 'must be "off" or "acme"',
  }),
  /** Directory the web server serves as http://<server_hostname>/ (HTTP-01 for the panel's certificate). */
  panel_webroot: OptionalPath,
  /** After a failed order of the panel's certificate, the next try waits this long, doubling up to an hour. */
  panel_retry_ms: Type.Integer({ default: 60_000, minimum: 100, maximum: 3_600_000 }),
});
export type SslConfig = Static<typeof SslConfig>;

/** Settings resolved from the plugin config and the panel settings. */
export interface SslSettings {
  directoryUrl: string;
  caFile: string | null;
  storeDir: string;
  /** Holds the ACME account key (0600) and the panel's own certificate. */
  stateDir: string;
  email: string;
  renewTime: string;
  renewBeforeDays: number;
  backoff: { min: number; max: number; attempts: number };
  orderTimeoutMs: number;
  panelCertificate: 'off' | 'acme';
  panelWebroot: string;
  /** First wait before ordering the panel's certificate again after a failure (doubles, at most an hour). */
  panelRetryMs: number;
  serverHostname: string;
}

/** Why nothing can be ordered without an ACME account email (`GET /api/ssl/acme` and the issuer say the same). */
export const ACME_EMAIL_MISSING =
  'acme_email is not set: add acme_email = "you@example.com" to the panel configuration to request certificates';

/** Resolve the ACME directory and the store paths for the panel's mode. */
export function sslSettings(c: SslConfig, s: PanelSettings): SslSettings {
  return {
    directoryUrl: c.directory_url || (c.acme_staging ? LETS_ENCRYPT.staging : LETS_ENCRYPT.production),
    caFile: c.ca_file || null,
    storeDir: c.store_dir || (s.mode === 'linux' ? '/etc/veloserve/ssl' : path.join(s.dataDir, 'ssl')),
    stateDir: path.join(s.dataDir, 'acme'),
    email: c.acme_email.trim(),
    renewTime: c.renew_time,
    renewBeforeDays: c.renew_before_days,
    backoff: { min: c.backoff_min_ms, max: Math.max(c.backoff_min_ms, c.backoff_max_ms), attempts: c.backoff_attempts },
    orderTimeoutMs: c.order_timeout_ms,
    panelCertificate: c.panel_certificate,
    panelWebroot: c.panel_webroot || path.join(s.dataDir, 'acme', 'panel-webroot'),
    panelRetryMs: c.panel_retry_ms,
    serverHostname: s.serverHostname.toLowerCase(),
  };
}
