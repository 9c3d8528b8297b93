import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  definePlugin,
  managedServices,
  Type,
  type ManagedEndpoint,
  type PluginContext,
  type Static,
} from '../../sdk/index.js';
import { mariadbRecipe } from './mariadb.js';
import { nginxRecipe } from './nginx.js';
import { pdnsRecipe } from './pdns.js';
import { phpFpmRecipe } from './phpfpm.js';
import { postgresqlRecipe } from './postgresql.js';
import { ManagedRegistry } from './registry.js';
import { Supervisor, type Recipe } from './supervisor.js';

const Port = (d: number) =>
  Type.Integer({ default: d, minimum: 1, maximum: 65535, 'x-error': 'must be a port number 1–65535' });
const Binary = (d: string) =>
  Type.String({ default: d, pattern: '^[A-Za-z0-9._/-]+$', 'x-error': 'must be a program name or absolute path' });

const LocalServicesConfig = Type.Object({
  /** "auto": on in local mode unless `test_mode` (tests bring their own servers); never in linux mode. */
  managed_services: Type.Union([Type.Literal('auto'), Type.Boolean()], {
    default: 'auto',
    'x-error': 'must be true, false or "auto"',
  }),
  /** The loopback port every vhost is served on (selected by `Host`), and its TLS twin. */
  local_http_port: Port(8080),
  local_https_port: Port(8443),
  nginx_binary: Binary('nginx'),
  mariadb_binary: Binary('mariadbd'),
  /** Directory of `postgres` and `initdb`; empty: PATH, then /usr/lib/postgresql/<newest>/bin. */
  postgresql_bin_dir: Type.String({
    default: '',
    pattern: '^(/[A-Za-z0-9._-]+)*$',
    'x-error': 'must be an absolute path or empty',
  }),
  /** php-fpm binary; empty: `php-fpm` on PATH, else the newest `php-fpm<version>` in /usr/sbin. */
  php_fpm_binary: Type.String({
    default: '',
    pattern: '^[A-Za-z0-9._/-]*$',
    'x-error': 'must be a program name, an absolute path or empty',
  }),
  pdns_binary: Binary('pdns_server'),
  /** The loopback port PowerDNS answers DNS queries on (its HTTP API takes a free port). */
  local_dns_port: Port(5300),
});
type LocalServicesConfig = Static<typeof LocalServicesConfig>;

/** A loopback TCP port free a moment ago (the kernel picks it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer().once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

/** Whether this panel runs its own servers (see `managed_services`). */
export function managesServices(ctx: PluginContext<LocalServicesConfig>): boolean {
  if (ctx.settings.mode !== 'local') return false;
  const m = ctx.config.managed_services;
  return m === 'auto' ? !ctx.settings.testMode : m;
}

/**
 * In local mode, the panel runs what it manages itself — nginx serving every vhost on one loopback
 * port, php-fpm with the accounts' pools, MariaDB, PostgreSQL and PowerDNS with their data under
 * the data dir — each only when installed,
 * supervised (restarted with backoff) and stopped with the panel. Engines find them through the
 * {@link managedServices} service; in linux mode the system's own services are used as before.
 */
export default definePlugin<LocalServicesConfig>({
  manifest: {
    id: 'local-services',
    name: 'Local services',
    version: '1.0.0',
    sdk: '^1.0.0',
    provides: ['local-services.managed'],
    description: 'Runs the web server, php-fpm, database servers and PowerDNS itself in local mode',
  },
  configSchema: LocalServicesConfig,
  async start(ctx) {
    let supervisors = new Map<string, Supervisor>();
    ctx.route({
      method: 'GET',
      path: '/api/system/services',
      summary: 'State, port and version of the servers the panel runs itself (local mode)',
      access: { roles: ['admin'], scope: 'system:read' },
      handler: () => ({
        managed: supervisors.size > 0,
        services: [...supervisors.values()].map((s) => ({ ...s.state })),
      }),
    });
    if (ctx.settings.mode === 'linux' && ctx.config.managed_services === true)
      ctx.logger.warn("managed_services is for local mode; linux mode uses the system's services");
    if (!managesServices(ctx)) return;
    const c = ctx.config;
    const data = ctx.settings.dataDir;
    // 0711: a server running as another OS user (postgres) may pass through, not list
    mkdirSync(path.join(data, 'services'), { recursive: true, mode: 0o711 });
    const nginx = nginxRecipe(ctx.exec, {
      dataDir: data,
      binary: c.nginx_binary,
      httpPort: c.local_http_port,
      httpsPort: c.local_https_port,
      sitesDir: path.join(data, 'nginx', 'sites'),
    });
    const [pgPort, pdnsApiPort] = [await freePort(), await freePort()];
    const fpm = phpFpmRecipe(ctx.exec, { dataDir: data, binary: c.php_fpm_binary });
    const pdns = pdnsRecipe(ctx.exec, {
      dataDir: data,
      binary: c.pdns_binary,
      dnsPort: c.local_dns_port,
      apiPort: pdnsApiPort,
    });
    const recipes: Recipe[] = [
      nginx,
      mariadbRecipe(ctx.exec, { dataDir: data, binary: c.mariadb_binary }),
      postgresqlRecipe(ctx.exec, { dataDir: data, binDir: c.postgresql_bin_dir, port: pgPort }),
      fpm,
      pdns,
    ];
    const endpoints = new Map<string, ManagedEndpoint>([
      [
        'nginx',
        {
          socket: '',
          host: '127.0.0.1',
          port: c.local_http_port,
          user: '',
          prefix: nginx.dir,
          conf: nginx.conf,
          pidFile: nginx.pidFile,
          sslPort: c.local_https_port,
        },
      ],
      ['mariadb', { socket: recipes[1]!.socket!, host: '', port: 0, user: 'root' }],
      ['postgresql', { socket: recipes[2]!.socket!, host: '', port: pgPort, user: 'postgres' }],
      [
        'php-fpm',
        {
          socket: fpm.socket!,
          host: '',
          port: 0,
          user: os.userInfo().username,
          conf: fpm.conf,
          pidFile: fpm.pidFile,
          binary: fpm.binaryPath() ?? '',
          poolDir: fpm.poolDir,
          socketDir: fpm.socketDir,
        },
      ],
      [
        'pdns',
        { socket: '', host: '127.0.0.1', port: c.local_dns_port, user: '', apiUrl: pdns.apiUrl, apiKey: pdns.apiKey },
      ],
    ]);
    supervisors = new Map(recipes.map((r) => [r.name, new Supervisor(r, ctx.logger)]));
    ctx.services.provide(managedServices, new ManagedRegistry(supervisors, endpoints));
    void Promise.all([...supervisors.values()].map((s) => s.start())).then(() => {
      const parts = [...supervisors.values()].map(({ state: s }) =>
        s.state === 'running'
          ? `${s.name} (${s.port ? `port ${s.port}` : `socket ${s.socket}`})`
          : `${s.name} ${s.state}${s.reason ? `: ${s.reason}` : ''}`,
      );
      ctx.logger.info(`managed services: ${parts.join(', ')}`);
    });
    // Not awaiting `started`: a stop during a first-time set-up must not wait for it to finish.
    ctx.onStop(async () => {
      await Promise.all([...supervisors.values()].map((s) => s.stop()));
    });
  },
});
