import type { DependencyContainer } from 'tsyringe';
import type { ServiceRef, ServiceRegistry } from '../../sdk/services.js';
import { errors } from '../errors.js';
import { serviceToken } from '../tokens.js';

/**
 * Services plugins provide to each other. Each lives in its provider's child container (under
 * {@link serviceToken}); this index says which plugin's container holds it, and resolves it
 * only while that plugin is active.
 */
export class ServiceStore {
  // `impl` caches what the container resolved: a service is looked up on hot request paths.
  private readonly providers = new Map<string, { pluginId: string; container: DependencyContainer; impl?: unknown }>();

  constructor(private readonly isActive: (pluginId: string) => boolean) {}

  /** The registry a plugin sees: what it provides goes into `container`, its own child container. */
  forPlugin(pluginId: string, container: DependencyContainer): ServiceRegistry {
    return {
      provide: (ref, impl) => {
        const existing = this.providers.get(ref.id);
        if (existing && existing.pluginId !== pluginId)
          throw new Error(`service '${ref.id}' is already provided by '${existing.pluginId}'`);
        container.register(serviceToken(ref), { useValue: impl });
        this.providers.set(ref.id, { pluginId, container });
      },
      get: (ref) => {
        const found = this.find(ref);
        if (found === undefined)
          throw errors.unavailable(`Service '${ref.id}' is not available (its plugin is not active)`);
        return found;
      },
      find: (ref) => this.find(ref),
    };
  }

  find<T>(ref: ServiceRef<T>): T | undefined {
    const entry = this.providers.get(ref.id);
    if (!entry || !this.isActive(entry.pluginId)) return undefined;
    if (!('impl' in entry)) entry.impl = entry.container.resolve(serviceToken(ref));
    return entry.impl as T;
  }

  /** Ids of the services a plugin provided. */
  providedBy(pluginId: string): string[] {
    return [...this.providers].filter(([, v]) => v.pluginId === pluginId).map(([k]) => k);
  }

  removePlugin(pluginId: string): void {
    for (const [k, v] of this.providers) if (v.pluginId === pluginId) this.providers.delete(k);
  }
}
