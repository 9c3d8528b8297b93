import { createExtensionPoint } from '../extension-points.js';
import type { AccountInfo } from './accounts.js';

/** ACME challenge types a provider may answer (RFC 8555 §8, RFC 8737). */
export type AcmeChallengeType = 'http-01' | 'dns-01' | 'tls-alpn-01';

/**
 * One name the CA wants proven, as the `ssl` plugin hands it to a provider. Every value was
 * validated before it gets here: `name` is a lowercase ASCII (punycode) host name, possibly
 * `*.`-prefixed for a wildcard; `webroot` is an absolute path inside `account.home_dir` (when there is an account).
 */
export interface AcmeChallengeTarget {
  /** The identifier being validated (a SAN of the certificate). */
  name: string;
  /** Panel domain the certificate is for (the vhost that serves `name`). */
  domain: string;
  /**
   * The account owning the domain (home directory, uid/gid in linux mode); null for the panel's
   * own host name, whose webroot the admin configured.
   */
  account: AccountInfo | null;
  /** Directory the web server serves as `http://<name>/` (for HTTP-01). */
  webroot: string;
}

/**
 * What the CA asked for. For `http-01`, serve `keyAuthorization` as the body of
 * `http://<name>/.well-known/acme-challenge/<token>`; for `dns-01`, `keyAuthorization` is already
 * the TXT record value to publish at `_acme-challenge.<name>` (acme-client computes the digest).
 */
export interface AcmeChallengeRequest {
  type: AcmeChallengeType;
  /** base64url token chosen by the CA (`[A-Za-z0-9_-]+`). */
  token: string;
  keyAuthorization: string;
}

/**
 * A way to prove control of a name to an ACME CA (entry of {@link acmeChallengeProviders}).
 * The `ssl` plugin picks, per identifier of an order, the first available provider whose
 * {@link AcmeChallengeProvider.supports} is true and whose `type` the CA offers, so a DNS-01
 * provider (wildcards) is added as one more entry without touching the SSL routes.
 *
 * Contract: `present` publishes the answer and resolves only when it can be fetched (for DNS,
 * after propagation); `cleanup` removes exactly what `present` made and never throws for a
 * missing file or record. Neither may touch anything outside the target's webroot or zone.
 */
export interface AcmeChallengeProvider {
  /** The challenge type this provider answers. */
  readonly type: AcmeChallengeType;
  /** Human label for errors and the API, e.g. `HTTP-01 webroot`. */
  readonly label: string;
  /** Whether this provider can prove `target.name` (HTTP-01 cannot prove a wildcard). */
  supports(target: AcmeChallengeTarget): boolean | Promise<boolean>;
  /** Publish the answer; throws a `PanelError` naming the problem when it cannot. */
  present(target: AcmeChallengeTarget, challenge: AcmeChallengeRequest): Promise<void>;
  /** Remove what {@link AcmeChallengeProvider.present} published (idempotent). */
  cleanup(target: AcmeChallengeTarget, challenge: AcmeChallengeRequest): Promise<void>;
}

/**
 * Extension point: ACME challenge providers, owned by the `ssl` plugin. First-party entry:
 * `http-01-webroot` (writes the token under `<webroot>/.well-known/acme-challenge/`).
 *
 * @example
 * ```ts
 * ctx.extensions.provide(acmeChallengeProviders, 'dns-01-example', {
 *   type: 'dns-01', label: 'DNS-01 via Example DNS',
 *   supports: (t) => zones.hosts(t.name),
 *   present: (t, c) => api.setTxt(`_acme-challenge.${t.name.replace(/^\*\./, '')}`, c.keyAuthorization),
 *   cleanup: (t, c) => api.removeTxt(`_acme-challenge.${t.name.replace(/^\*\./, '')}`, c.keyAuthorization),
 * });
 * ```
 */
export const acmeChallengeProviders = createExtensionPoint<AcmeChallengeProvider>({
  id: 'acme-challenges',
  owner: 'ssl',
});
