import path from 'node:path';
import {
  isConfigSafe,
  MANAGED_MARKER,
  type CompiledTemplate,
  type VhostFragment,
  type VhostSpec,
} from '../../sdk/index.js';

const NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/;

/**
 * A TOML basic string. Values were validated long before, and only the safe set may pass here;
 * the escaping is still complete (quotes, backslashes, control characters) as a second wall.
 */
export function tomlString(value: string, what: string): string {
  if (!isConfigSafe(value))
    throw new Error(`veloserve engine: refusing unsafe ${what} ${JSON.stringify(value.slice(0, 80))}`);
  const escaped = value.replace(/[\\"\u0000-\u001f\u007f]/g, (c) =>
    c === '\\' || c === '"' ? `\\${c}` : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `"${escaped}"`;
}

function hostName(name: string): string {
  if (!NAME.test(name))
    throw new Error(`veloserve engine: refusing invalid domain ${JSON.stringify(name.slice(0, 80))}`);
  return name;
}

/** File name of a domain's fragment under `vhosts/`. */
export function veloserveFragmentName(domain: string): string {
  return `${hostName(domain)}.toml`;
}

/** Directory of the suspended page of one domain (VeloServe has no `return`: the host's root moves there). */
export function suspendedRoot(suspendedDir: string, domain: string): string {
  return path.join(suspendedDir, hostName(domain));
}

/**
 * The fragment of one domain: a `[[virtualhost]]` for the domain and one more for each alias with
 * the same root (VeloServe's config has no `aliases` field). While suspended, the root is the
 * domain's suspended-page directory. PHP is server-wide in VeloServe, so `spec.php` is not rendered.
 */
export function renderVeloServeVhost(spec: VhostSpec, template: CompiledTemplate, suspendedDir: string): VhostFragment {
  const names = [spec.domain, ...spec.aliases].map(hostName);
  const root = spec.suspended ? suspendedRoot(suspendedDir, spec.domain) : spec.documentRoot;
  const account = /^[a-z][a-z0-9]{0,31}$/.test(spec.accountUsername) ? spec.accountUsername : '?';
  const blocks = names.map((name) =>
    template.render({
      domain: tomlString(name, 'domain'),
      root: tomlString(root, 'document root'),
      tls: Boolean(spec.tls),
      tls_certificate: spec.tls ? tomlString(spec.tls.certificate, 'certificate path') : '',
      tls_key: spec.tls ? tomlString(spec.tls.key, 'key path') : '',
    }),
  );
  const head = `${MANAGED_MARKER}: ${names[0]} (account ${account})${spec.suspended ? ', suspended' : ''}\n`;
  return { name: veloserveFragmentName(spec.domain), content: head + blocks.join('\n') };
}
