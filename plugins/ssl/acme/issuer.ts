import type * as acme from 'acme-client';
import { acmeLibrary } from './library.js';
import {
  errors,
  isPanelError,
  type AcmeChallengeProvider,
  type AcmeChallengeTarget,
  type AcmeChallengeType,
} from '../../../sdk/index.js';
import { ACME_EMAIL_MISSING, type SslSettings } from '../config.js';
import { loadAccountKey } from './account-key.js';
import { OrderStepError, placeOrder, type ChallengeChooser } from './order.js';

const EMAIL = /^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,63}$/;

/** A newly issued certificate: the CA's full chain and the key made for it. */
export interface IssuedCertificate {
  fullchain: string;
  key: string;
}

/**
 * The panel's ACME client: one account per panel (key in the state directory, contact
 * `acme_email`), orders placed through the challenge providers. Errors carry the CA's reason.
 */
export class AcmeIssuer {
  private client: Promise<acme.Client> | null = null;

  constructor(
    private readonly s: SslSettings,
    private readonly providers: () => AcmeChallengeProvider[],
  ) {}

  /** Refuses early, before any state is touched, when the ACME account cannot exist. */
  checkConfigured(): void {
    if (!this.s.email) throw errors.validation(ACME_EMAIL_MISSING);
    if (!EMAIL.test(this.s.email))
      throw errors.validation('acme_email in the panel configuration is not a valid email address');
  }

  /** Order a certificate for `names`; `only` restricts the challenge type (dns-01 for wildcards). */
  async issue(
    names: string[],
    targetFor: (name: string) => AcmeChallengeTarget,
    only: AcmeChallengeType | null = null,
  ): Promise<IssuedCertificate> {
    this.checkConfigured();
    const lib = await acmeLibrary();
    const keyPem = (await lib.crypto.createPrivateEcdsaKey('P-256')).toString();
    const [, csr] = await lib.crypto.createCsr({ commonName: names[0], altNames: names }, keyPem);
    const choose: ChallengeChooser = async (name, offered) => {
      const target = targetFor(name);
      // Without a requested type HTTP-01 comes first, whatever order plugins registered in: a
      // DNS-01 provider (the dns plugin's zones) is used when asked for, or where HTTP-01 cannot prove a name.
      const ordered = [...this.providers()].sort((a, b) => Number(b.type === 'http-01') - Number(a.type === 'http-01'));
      for (const provider of ordered) {
        if (only && provider.type !== only) continue;
        if (offered.includes(provider.type) && (await provider.supports(target))) return { provider, target };
      }
      if (only === 'dns-01')
        throw errors.validation(
          `challenge: no DNS-01 provider can prove ${name} (it needs the dns plugin and a DNS zone of this account holding the name)`,
        );
      throw errors.validation(
        `no ${only ? `${only} ` : ''}challenge provider can prove ${name} (the CA offers ${offered.join(', ') || 'no challenge'})`,
      );
    };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            errors.timeout(
              `The ACME order for ${names[0]} did not finish within ${Math.round(this.s.orderTimeoutMs / 1000)} s`,
            ),
          ),
        this.s.orderTimeoutMs,
      );
    });
    try {
      const client = await this.account();
      const fullchain = await Promise.race([placeOrder(client, names, csr, choose), timeout]);
      return { fullchain, key: keyPem };
    } catch (e) {
      throw describeFailure(names[0]!, e);
    } finally {
      clearTimeout(timer);
    }
  }

  private async account(): Promise<acme.Client> {
    this.client ??= (async () => {
      const lib = await acmeLibrary();
      const client = new lib.Client({
        directoryUrl: this.s.directoryUrl,
        accountKey: await loadAccountKey(this.s.stateDir),
        backoffMin: this.s.backoff.min,
        backoffMax: this.s.backoff.max,
        backoffAttempts: this.s.backoff.attempts,
      });
      await client.createAccount({ termsOfServiceAgreed: true, contact: [`mailto:${this.s.email}`] });
      return client;
    })();
    try {
      return await this.client;
    } catch (e) {
      this.client = null;
      throw e;
    }
  }
}

/** The error an API caller sees: the CA's reason, with the step that failed. */
function describeFailure(domain: string, e: unknown): Error {
  const inner = e instanceof OrderStepError ? e.cause : e;
  if (isPanelError(inner))
    return e instanceof OrderStepError ? Object.assign(inner, { message: `${e.identifier}: ${inner.message}` }) : inner;
  const reason = ((e as Error)?.message ?? String(e)).replace(/\s+/g, ' ').slice(0, 1000);
  return errors.externalCommand(`Certificate for ${domain} was not issued: ${reason}`);
}
