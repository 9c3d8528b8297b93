// Connection details the bed hands to test files. Everything here must stay JSON-serialisable:
// it travels from the vitest main process to the workers through provide()/inject().
import type {} from 'vitest';

export const SERVICE_NAMES = [
  'mariadb',
  'postgres',
  'nginx',
  'phpfpm',
  'pebble',
  'sshd',
  's3',
  'chromium',
  'pdns',
  'pebbledns',
  'named',
] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export function isServiceName(x: string): x is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(x);
}

export interface MariadbInfo {
  host: '127.0.0.1';
  port: number;
  /** unix socket: `root` connects here without a password */
  socket: string;
  rootUser: 'root';
  /** TCP admin (`'user'@'127.0.0.1'`, ALL PRIVILEGES WITH GRANT OPTION) */
  adminUser: string;
  adminPassword: string;
  version: string;
  dataDir: string;
  pid: number;
}

export interface PostgresInfo {
  host: '127.0.0.1';
  port: number;
  /** socket directory: `trust` for every role, but only root/postgres can enter it */
  socketDir: string;
  /** superuser; on TCP it needs adminPassword (scram-sha-256 like every other role) */
  adminUser: 'postgres';
  adminPassword: string;
  /** postgres://postgres:…@127.0.0.1:port/postgres */
  adminUrl: string;
  binDir: string;
  version: string;
  dataDir: string;
  pid: number;
}

export interface NginxInfo {
  host: '127.0.0.1';
  httpPort: number;
  httpsPort: number;
  binary: string;
  /** `nginx -p prefix -c confPath` */
  prefix: string;
  confPath: string;
  /** every *.conf here is included in the http block; reload with helpers/nginx.ts */
  sitesDir: string;
  /** returns the generation number written by the last reload (used to see a reload land) */
  generationFile: string;
  /** self-signed certificate of the HTTPS default_server (CN/SAN localhost, 127.0.0.1) */
  defaultCert: string;
  defaultKey: string;
  workerUser: string;
  workerGroup: string;
  pid: number;
}

export interface PhpFpmInfo {
  binary: string;
  version: string;
  prefix: string;
  confPath: string;
  /** *.conf here are pools; `kill -USR2 pid` reloads (see helpers/phpfpm.ts) */
  poolDir: string;
  socketDir: string;
  /** socket of the always-present `bed` pool (runs as listenOwner) */
  defaultSocket: string;
  /** user that must be able to connect to pool sockets (the nginx worker user) */
  listenOwner: string;
  pid: number;
}

export interface PebbleInfo {
  directoryUrl: string;
  /** https://127.0.0.1:port: /roots/0 gives the root that issued certificates chain to */
  managementUrl: string;
  /** CA of pebble's own HTTPS listener (not the issuing root) */
  apiCaPem: string;
  apiCaPath: string;
  /** pebble GETs http://<domain>:httpPort/.well-known/acme-challenge/<token> on 127.0.0.1 */
  httpPort: number;
  tlsPort: number;
  /** pebble-challtestsrv management API (add-a, set-default-ipv4, …) */
  challtestsrvUrl: string;
  dnsPort: number;
  pid: number;
}

export interface PdnsInfo {
  host: '127.0.0.1';
  /** UDP+TCP port the authoritative server answers on (`dig @127.0.0.1 -p dnsPort`) */
  dnsPort: number;
  /** http://127.0.0.1:port — the HTTP API (`/api/v1/servers/<serverId>/zones`, header X-API-Key) */
  apiUrl: string;
  apiKey: string;
  serverId: 'localhost';
  dataDir: string;
  pid: number;
}

export interface NamedInfo {
  host: '127.0.0.1';
  dnsPort: number;
  /** rndc with this instance's config: `[...rndc, 'status']` */
  rndc: string[];
  /** where zone files of the BIND engine go (named reads them) */
  zoneDir: string;
  pid: number;
}

/** pebble whose VA resolves through a private PowerDNS: DNS-01 is validated for real. Only the
 *  names a test puts into that PowerDNS resolve, so HTTP-01 tests keep the plain `pebble`. */
export interface PebbleDnsInfo extends PebbleInfo {
  pdns: PdnsInfo;
}

export interface SshdInfo {
  host: '127.0.0.1';
  port: number;
  /** throwaway account made for this run (AllowUsers vpt*: helper-made users may log in too) */
  username: string;
  password: string;
  privateKey: string;
  privateKeyPath: string;
  publicKey: string;
  /** host key as in known_hosts: `ssh-ed25519 AAAA…` */
  hostKey: string;
  homeDir: string;
  pid: number;
  /** the main sshd_config; its last line is `Include <matchFile>` */
  configPath: string;
  /** where the access plugin writes its Match blocks (starts empty) */
  matchFile: string;
  /** SIGHUP the pid in it to reload (sshd re-executes itself with the same pid) */
  pidFile: string;
  /** sshd's own PAM stack (`startSshd({ ownPam: true })` only; otherwise /etc/pam.d/sshd, the host's) */
  pamFile?: string;
}

export interface S3Info {
  endpoint: string;
  region: 'us-east-1';
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: true;
  /** bucket that exists from the start; tests may create more */
  bucket: string;
  directory: string;
  pid: number;
}

export interface ChromiumInfo {
  executablePath: string;
  args: string[];
  version: string;
}

export interface ServiceInfoMap {
  mariadb: MariadbInfo;
  postgres: PostgresInfo;
  nginx: NginxInfo;
  phpfpm: PhpFpmInfo;
  pebble: PebbleInfo;
  sshd: SshdInfo;
  s3: S3Info;
  chromium: ChromiumInfo;
  pdns: PdnsInfo;
  pebbledns: PebbleDnsInfo;
  named: NamedInfo;
}

export type ServiceStatus<N extends ServiceName = ServiceName> =
  | { ok: true; info: ServiceInfoMap[N]; startMs: number }
  | { ok: false; reason: string };

export interface BedState {
  services: { [N in ServiceName]?: ServiceStatus<N> };
}

/** What a service module's start() returns (main process only, not serialised). The emergency
 *  path (process exit/signal) does not need it: tracking.ts knows every daemon, dir and cleanup. */
export interface Running<I> {
  info: I;
  /** graceful stop, waits until the port/socket is gone, removes the temp dir */
  stop(): Promise<void>;
}

declare module 'vitest' {
  export interface ProvidedContext {
    velopanelBed: BedState;
  }
}
