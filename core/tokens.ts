import type { DependencyContainer } from 'tsyringe';
import type { LicenceView } from '../sdk/licence.js';
import type { UserDirectory } from '../sdk/plugin.js';
import type { ServiceRef } from '../sdk/services.js';
import type { PanelConfig } from './config/schema.js';
import type { AuditSink, Authenticator, ResponseObserver } from './http/types.js';
import type { Kernel } from './kernel.js';
import type { ExtraGate } from './plugins/loader.js';

declare const resolvesTo: unique symbol;

/** A DI token (tsyringe) that carries the type of what it resolves to. */
export type Token<T> = symbol & { readonly [resolvesTo]?: T };

function token<T>(name: string): Token<T> {
  return Symbol.for(`velopanel.${name}`) as Token<T>;
}

/**
 * The kernel container's tokens. The kernel registers itself and its config; kernel modules
 * register what they provide (one provider each, except where many may add: gates, observers),
 * and the kernel resolves those once a module is installed. Plugins' services live in each
 * plugin's child container under {@link serviceToken}.
 */
export const Tokens = {
  Config: token<PanelConfig>('config'),
  Kernel: token<Kernel>('kernel'),
  /** The licence in force (the licence module); without one the panel runs as Community. */
  Licence: token<() => LicenceView>('licence'),
  /** Turns credentials into principals (the auth module). */
  Authenticator: token<Authenticator>('authenticator'),
  /** Logins as plugins see them, `ctx.users` (the auth module). */
  Users: token<UserDirectory>('users'),
  /** Extra refusals for requests to a plugin (the auth module's reseller grants); many. */
  PluginGate: token<ExtraGate>('plugin-gate'),
  /** Where the record of every mutating request goes (the audit module). */
  AuditSink: token<AuditSink>('audit-sink'),
  /** Observers of finished requests (the metrics module); many. */
  ResponseObserver: token<ResponseObserver>('response-observer'),
} as const;

/** Tokens that any number of providers may register; every other token has one provider. */
const MANY: ReadonlySet<symbol> = new Set([Tokens.PluginGate, Tokens.ResponseObserver]);

/** Register what `token` resolves to; a second provider of a one-provider token is a wiring mistake. */
export function provide<T>(c: DependencyContainer, t: Token<T>, value: T): void {
  if (!MANY.has(t) && c.isRegistered(t)) throw new Error(`${t.description} is already provided`);
  c.register<T>(t, { useValue: value });
}

/** What `token` resolves to in this container or its parents, or null when nothing provides it. */
export function provided<T>(c: DependencyContainer, t: Token<T>): T | null {
  return c.isRegistered(t, true) ? c.resolve<T>(t) : null;
}

/** Every provider of a many-provider token, in registration order. */
export function providedAll<T>(c: DependencyContainer, t: Token<T>): T[] {
  return c.isRegistered(t, true) ? c.resolveAll<T>(t) : [];
}

/** The token a plugin's service is registered under in its child container. */
export function serviceToken<T>(ref: ServiceRef<T>): Token<T> {
  return token<T>(`service.${ref.id}`);
}
