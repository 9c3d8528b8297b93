/**
 * Typed events: a map of event name to payload type. Plugins add their events by augmenting
 * this interface:
 *
 * @example
 * ```ts
 * declare module '../../sdk/hooks.js' {
 *   interface HookEvents { 'account.create': { username: string } }
 * }
 * ```
 */
export interface HookEvents {
  [event: string]: unknown;
}

/** Returned by a `before` handler to refuse the change; the request fails with 409 naming the plugin. */
export interface Veto {
  veto: string;
}

/** A `before` handler: runs in registration order, may veto by returning {@link Veto}. */
export type BeforeHook<E extends keyof HookEvents> = (payload: HookEvents[E]) => Promise<void | Veto> | void | Veto;

/** An `after` handler: runs after the change is committed, isolated and time-bounded. */
export type AfterHook<E extends keyof HookEvents> = (payload: HookEvents[E]) => Promise<void> | void;

/** The event bus as a plugin uses it. Handlers of a disabled plugin do not run. */
export interface HookBus {
  before<E extends keyof HookEvents & string>(event: E, handler: BeforeHook<E>): void;
  after<E extends keyof HookEvents & string>(event: E, handler: AfterHook<E>): void;
  /** Run every `before` handler; throws a 409 VETOED error at the first veto. */
  runBefore<E extends keyof HookEvents & string>(event: E, payload: HookEvents[E]): Promise<void>;
  /** Run every `after` handler in the background-safe way: errors are logged, never thrown. */
  runAfter<E extends keyof HookEvents & string>(event: E, payload: HookEvents[E]): Promise<void>;
}
