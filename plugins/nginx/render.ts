import { isConfigSafe, type CompiledTemplate, type VhostFragment, type VhostSpec } from '../../sdk/index.js';

/** Settings of the nginx engine that shape every server block. */
export interface NginxRenderOptions {
  listen: string;
  listenSsl: string;
  fastcgiParams: string;
  vhost: CompiledTemplate;
  suspendedPage: CompiledTemplate;
  /** Directory of the per-domain bandwidth logs; empty: no access log. */
  accessLogDir: string;
}

const NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/;

/** A value as an nginx string: only values from the safe set reach a config, in double quotes. */
export function nginxQuote(value: string, what: string): string {
  if (!isConfigSafe(value))
    throw new Error(`nginx engine: refusing unsafe ${what} ${JSON.stringify(value.slice(0, 80))}`);
  return `"${value}"`;
}

/**
 * Page text as an nginx string literal. The page comes from the panel's own template, but `$`
 * would still be read as a variable by nginx, so it becomes an HTML entity.
 */
export function nginxTextLiteral(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\$/g, '&#36;')}"`;
}

function serverName(name: string): string {
  if (!NAME.test(name))
    throw new Error(`nginx engine: refusing invalid server name ${JSON.stringify(name.slice(0, 80))}`);
  return name;
}

/** File name of a domain's server block. */
export function nginxFragmentName(domain: string): string {
  return `${serverName(domain)}.conf`;
}

/** File name of a domain's access log: the account id first, so a log is bound to the account, not the name. */
export function nginxAccessLogName(accountId: number, domain: string): string {
  if (!Number.isSafeInteger(accountId) || accountId < 1)
    throw new Error(`nginx engine: refusing account id ${String(accountId).slice(0, 20)}`);
  return `${accountId}_${serverName(domain)}.log`;
}

/** Render the server block of one domain (with its aliases, TLS, PHP handler or suspended page). */
export function renderNginxVhost(spec: VhostSpec, opts: NginxRenderOptions): VhostFragment {
  const names = [spec.domain, ...spec.aliases].map(serverName);
  const php =
    spec.php && spec.php.socket && (spec.php.mode === 'fpm' || spec.php.mode === 'lsapi') ? spec.php.socket : null;
  const content = opts.vhost.render({
    domain: names[0],
    account: /^[a-z][a-z0-9]{0,31}$/.test(spec.accountUsername) ? spec.accountUsername : '?',
    listen: opts.listen,
    access_log: Boolean(opts.accessLogDir),
    access_log_path: opts.accessLogDir
      ? nginxQuote(`${opts.accessLogDir}/${nginxAccessLogName(spec.accountId, names[0]!)}`, 'access log path')
      : '',
    log_format: `velopanel_bytes_${names[0]}`,
    listen_ssl: opts.listenSsl,
    server_names: names.join(' '),
    root: nginxQuote(spec.documentRoot, 'document root'),
    symlinks_from: nginxQuote(`from=${spec.homeDir}`, 'home directory'),
    tls: Boolean(spec.tls),
    tls_certificate: spec.tls ? nginxQuote(spec.tls.certificate, 'certificate path') : '',
    tls_key: spec.tls ? nginxQuote(spec.tls.key, 'key path') : '',
    suspended: spec.suspended,
    suspended_page: spec.suspended ? nginxTextLiteral(opts.suspendedPage.render({ domain: names[0] })) : '',
    php: Boolean(php),
    php_pass: php ? nginxQuote(`unix:${php}`, 'PHP socket') : '',
    fastcgi_params: nginxQuote(opts.fastcgiParams, 'fastcgi_params path'),
  });
  return { name: nginxFragmentName(spec.domain), content };
}
