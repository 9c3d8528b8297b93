import { setTimeout as sleep } from 'node:timers/promises';
import { errors, type ManagedEndpoint, type ManagedServices, type ManagedServiceState } from '../../sdk/index.js';
import type { Supervisor } from './supervisor.js';

const LABEL: Record<string, string> = {
  nginx: 'The web server (nginx)',
  mariadb: 'MariaDB',
  postgresql: 'PostgreSQL',
  'php-fpm': 'php-fpm',
  pdns: 'PowerDNS',
};
const WAIT_MS = 90_000;

/** The {@link ManagedServices} the engines use: endpoints, readiness and state of every supervisor. */
export class ManagedRegistry implements ManagedServices {
  constructor(
    private readonly supervisors: Map<string, Supervisor>,
    private readonly endpoints: Map<string, ManagedEndpoint>,
  ) {}

  endpoint(name: string): ManagedEndpoint | null {
    return this.endpoints.get(name) ?? null;
  }

  async whenUsable(name: string): Promise<void> {
    const s = this.supervisors.get(name);
    if (!s) return;
    const deadline = Date.now() + WAIT_MS;
    for (let delay = 50; ; delay = Math.min(delay * 1.5, 500)) {
      const { state, reason } = s.state;
      if (state === 'running') return;
      const label = LABEL[name] ?? name;
      if (state === 'unavailable') throw errors.unavailable(`${label} is unavailable: ${reason}`);
      if (state === 'stopped') throw errors.unavailable(`${label} is stopped`);
      if (Date.now() > deadline)
        throw errors.unavailable(`${label} is not ready yet${reason ? ` (${reason})` : ''}; try again shortly`);
      await sleep(delay);
    }
  }

  list(): ManagedServiceState[] {
    return [...this.supervisors.values()].map((s) => ({ ...s.state }));
  }
}
