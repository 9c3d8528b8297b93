/** A typed reference to a service one plugin provides and others use. */
export interface ServiceRef<T> {
  readonly id: string;
  readonly __type?: T;
}

/**
 * Declare a service reference.
 *
 * @example
 * ```ts
 * export const accountStats = createServiceRef<{ count(): Promise<number> }>('accounts.stats');
 * ```
 */
export function createServiceRef<T>(id: string): ServiceRef<T> {
  return Object.freeze({ id });
}

/** Service registry as a plugin sees it. */
export interface ServiceRegistry {
  provide<T>(ref: ServiceRef<T>, impl: T): void;
  /** The service, or throws 503 naming it when no active plugin provides it. */
  get<T>(ref: ServiceRef<T>): T;
  /** The service, or undefined. */
  find<T>(ref: ServiceRef<T>): T | undefined;
}
