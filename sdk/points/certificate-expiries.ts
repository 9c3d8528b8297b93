import { createServiceRef } from '../services.js';

/** One certificate the panel manages and when it stops being valid. */
export interface CertificateExpiry {
  /** What the certificate is for: a domain name, or the panel's own hostname. */
  name: string;
  /** Its not-after time, ISO 8601 (UTC). */
  notAfter: string;
  /** Where it came from, e.g. `acme`, `custom`, `panel` (a metrics label; keep it short). */
  source?: string;
}

/** Lists the certificates the panel manages with their expiry (read by `GET /metrics`). */
export interface CertificateExpiries {
  /** Every managed certificate, at most one entry per name and source. */
  list(): Promise<CertificateExpiry[]>;
}

/**
 * Service: the certificates and their expiry, provided by the certificate plugin (`ssl`) and
 * reported by the kernel's metrics as `velopanel_certificate_expiry_timestamp_seconds`.
 *
 * @example
 * ```ts
 * ctx.services.provide(certificateExpiries, {
 *   list: async () => (await rows.list(null)).map((r) => ({ name: r.domain, notAfter: r.not_after, source: r.source })),
 * });
 * ```
 */
export const certificateExpiries = createServiceRef<CertificateExpiries>('certificate-expiries');
