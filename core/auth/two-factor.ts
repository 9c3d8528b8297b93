import QRCode from 'qrcode';
import type { Role } from '../../sdk/auth.js';
import type { PanelKey } from '../panel-key.js';
import { matchingStep, newRecoveryCodes, newTotpSecret, normaliseRecoveryCode, otpauthUri } from './totp.js';
import type { TwoFactorStore } from './two-factor-store.js';

/** Roles an admin may require two-factor login of. */
export const REQUIRABLE_ROLES = ['admin', 'reseller'] as const;
export type RequirableRole = (typeof REQUIRABLE_ROLES)[number];
/** How long the second login step may follow the first. */
export const CHALLENGE_TTL_MS = 5 * 60_000;
/** The policy is re-read this often, so another panel process's change lands. */
const POLICY_RECHECK_MS = 15_000;
const POLICY = 'require_2fa_roles';

/** What an opened login challenge says. `passwordOk` never leaves the server in clear. */
export interface LoginChallenge {
  userId: number;
  username: string;
  passwordOk: boolean;
  /** The login's token version at the password step: a password change meanwhile voids the challenge. */
  version: number;
}

/**
 * Two-factor login (TOTP, RFC 6238) for panel logins: enrolment, code checks with replay
 * refusal, single-use recovery codes (keyed hashes), the sealed challenge of the second login
 * step, and the admin's "required for these roles" policy.
 */
export class TwoFactor {
  private policy: { roles: RequirableRole[]; at: number } | null = null;

  constructor(
    private readonly store: TwoFactorStore,
    private readonly key: PanelKey,
    private readonly issuer = 'VeloPanel',
  ) {}

  isEnabled(userId: number): Promise<boolean> {
    return this.store.isEnabled(userId);
  }

  /** A new secret for a login not yet enabled (null when it is): shown once, stored sealed. */
  async begin(
    userId: number,
    username: string,
  ): Promise<{ secret: string; otpauth_uri: string; qr_svg_data_url: string } | null> {
    const secret = newTotpSecret();
    if (!(await this.store.begin(userId, this.key.seal(`totp:${userId}`, secret)))) return null;
    const uri = otpauthUri(secret, this.issuer, username);
    const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    return {
      secret,
      otpauth_uri: uri,
      qr_svg_data_url: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`,
    };
  }

  /** Turn enrolment on with a first code: the ten recovery codes (shown once), or null when the code is wrong or nothing is pending. */
  async confirm(userId: number, code: string, now = Date.now()): Promise<string[] | null> {
    const row = await this.store.get(userId);
    if (!row || row.enabled) return null;
    const step = matchingStep(this.secretOf(userId, row.secret), code, now);
    if (step === null || !(await this.store.useStep(userId, step))) return null;
    const codes = newRecoveryCodes();
    return (await this.store.enable(
      userId,
      codes.map((c) => this.recoveryHash(userId, c)),
    ))
      ? codes
      : null;
  }

  /**
   * Check and spend a code of an enabled login: a TOTP code (each time step once) or a recovery
   * code. `spend: false` does the same reading and hashing without spending (a login whose
   * password was wrong), so the answer takes as long whether the password was right or not.
   */
  async verify(userId: number, code: string, now = Date.now(), spend = true): Promise<'totp' | 'recovery' | null> {
    const row = await this.store.get(userId);
    if (!row?.enabled) return null;
    if (/^\d{6}$/.test(code)) {
      const step = matchingStep(this.secretOf(userId, row.secret), code, now);
      if (step === null || !spend) return null;
      return (await this.store.useStep(userId, step)) ? 'totp' : null;
    }
    const hash = normaliseRecoveryCode(code) ? this.recoveryHash(userId, code) : null;
    return hash && spend && (await this.store.useRecovery(userId, hash)) ? 'recovery' : null;
  }

  /** How many recovery codes are left (null when two-factor login is off). */
  async status(userId: number): Promise<{ enabled: boolean; pending: boolean; recovery_codes_left: number | null }> {
    const row = await this.store.get(userId);
    return {
      enabled: !!row?.enabled,
      pending: !!row && !row.enabled,
      recovery_codes_left: row?.enabled ? row.recovery.length : null,
    };
  }

  /** Ten new recovery codes replacing the old ones (shown once). */
  async renewRecoveryCodes(userId: number): Promise<string[]> {
    const codes = newRecoveryCodes();
    await this.store.setRecovery(
      userId,
      codes.map((c) => this.recoveryHash(userId, c)),
    );
    return codes;
  }

  /** Forget a login's two-factor state; whether there was any. */
  remove(userId: number): Promise<boolean> {
    return this.store.remove(userId);
  }

  async requiredRoles(now = Date.now()): Promise<RequirableRole[]> {
    if (this.policy && now - this.policy.at < POLICY_RECHECK_MS) return this.policy.roles;
    const stored = await this.store.setting(POLICY);
    const roles = (stored ? (JSON.parse(stored) as string[]) : []).filter((r): r is RequirableRole =>
      (REQUIRABLE_ROLES as readonly string[]).includes(r),
    );
    this.policy = { roles, at: now };
    return roles;
  }

  async setRequiredRoles(roles: RequirableRole[]): Promise<void> {
    const unique = REQUIRABLE_ROLES.filter((r) => roles.includes(r));
    await this.store.setSetting(POLICY, JSON.stringify(unique));
    this.policy = { roles: unique, at: Date.now() };
  }

  /** A login whose role requires two-factor login but who has not enabled it: it may only enrol. */
  async mustEnrol(user: { id: number; role: Role }): Promise<boolean> {
    return (await this.requiredRoles()).includes(user.role as RequirableRole) && !(await this.store.isEnabled(user.id));
  }

  /**
   * The token of the second login step. Sealed, so whether the password was right stays on the
   * server until the code is checked; right and wrong passwords give tokens of the same length.
   */
  challenge(c: LoginChallenge, now = Date.now()): { challenge: string; expires_at: string } {
    const expires = now + CHALLENGE_TTL_MS;
    const body = JSON.stringify({ u: c.userId, n: c.username, p: c.passwordOk ? 1 : 0, v: c.version, e: expires });
    return { challenge: this.key.seal('login-challenge', body), expires_at: new Date(expires).toISOString() };
  }

  /** An unexpired challenge of this panel; null for anything else. */
  openChallenge(token: string, now = Date.now()): LoginChallenge | null {
    const text = token.length <= 2048 ? this.key.open('login-challenge', token) : null;
    if (!text) return null;
    const c = JSON.parse(text) as { u: number; n: string; p: number; v: number; e: number };
    return c.e > now ? { userId: c.u, username: c.n, passwordOk: c.p === 1, version: c.v } : null;
  }

  private secretOf(userId: number, sealed: string): string {
    const secret = this.key.open(`totp:${userId}`, sealed);
    if (secret === null)
      throw new Error(`two-factor secret of user ${userId} does not open with the panel key (was panel_key replaced?)`);
    return secret;
  }

  private recoveryHash(userId: number, code: string): string {
    return this.key.mac('recovery-code', `${userId}:${normaliseRecoveryCode(code)}`);
  }
}
