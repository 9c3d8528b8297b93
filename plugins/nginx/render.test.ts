import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadTemplate, MANAGED_MARKER, type VhostSpec } from '../../sdk/index.js';
import { nginxTextLiteral, renderNginxVhost, type NginxRenderOptions } from './render.js';

const templates = fileURLToPath(new URL('../../templates', import.meta.url));
const opts: NginxRenderOptions = {
  listen: '127.0.0.1:8080',
  listenSsl: '443',
  fastcgiParams: '/etc/nginx/fastcgi_params',
  vhost: loadTemplate(templates, 'nginx/vhost.conf'),
  suspendedPage: loadTemplate(templates, 'pages/suspended.html'),
  accessLogDir: '',
};
const spec: VhostSpec = {
  domain: 'example.test',
  aliases: ['alias.test'],
  documentRoot: '/home/jo/public_html',
  accountId: 1,
  accountUsername: 'jo',
  homeDir: '/home/jo',
  suspended: false,
};

describe('renderNginxVhost', () => {
  it('renders one server block with the aliases, the quoted root and the ACME location', () => {
    const { name, content } = renderNginxVhost(spec, opts);
    expect(name).toBe('example.test.conf');
    expect(content.startsWith(MANAGED_MARKER)).toBe(true);
    expect(content).toContain('listen 127.0.0.1:8080;');
    expect(content).toContain('server_name example.test alias.test;');
    expect(content).toContain('root "/home/jo/public_html";');
    expect(content).toContain('location ^~ /.well-known/acme-challenge/ {');
    expect(content).toContain('try_files $uri $uri/ @file;');
    expect(content).toContain('disable_symlinks if_not_owner "from=/home/jo";');
    expect(content).not.toMatch(/ssl|fastcgi_pass|return 503/);
    expect(content).not.toMatch(/\n\s*\n\s*\n/);
  });

  it('adds TLS and an FPM handler when contributors set them', () => {
    const { content } = renderNginxVhost(
      {
        ...spec,
        tls: { certificate: '/etc/ssl/a.pem', key: '/etc/ssl/a.key' },
        php: { mode: 'fpm', version: '8.2', socket: '/run/php/jo.sock' },
      },
      opts,
    );
    expect(content).toContain('listen 443 ssl;');
    expect(content).toContain('ssl_certificate "/etc/ssl/a.pem";');
    expect(content).toContain('ssl_certificate_key "/etc/ssl/a.key";');
    expect(content).toContain('fastcgi_pass "unix:/run/php/jo.sock";');
    expect(content).toContain('include "/etc/nginx/fastcgi_params";');
  });

  it('answers a suspended host with the suspended page but keeps the ACME location', () => {
    const { content } = renderNginxVhost(
      { ...spec, suspended: true, php: { mode: 'fpm', version: '8.2', socket: '/run/php/jo.sock' } },
      opts,
    );
    expect(content).toMatch(/return 503 "<!doctype html>[\s\S]*This account has been suspended[\s\S]*example\.test/);
    expect(content).toContain('location ^~ /.well-known/acme-challenge/');
    expect(content).not.toContain('fastcgi_pass');
    expect(content).not.toContain('try_files $uri $uri/');
  });

  it('escapes page text so nginx reads no variable or end of string in it', () => {
    expect(nginxTextLiteral('a "b" $host \\ c')).toBe('"a \\"b\\" &#36;host \\\\ c"');
  });

  it('logs bytes sent per domain to a file named by account id, with a log format of its own', () => {
    const { content } = renderNginxVhost(
      { ...spec, accountId: 7 },
      { ...opts, accessLogDir: '/var/log/nginx/velopanel' },
    );
    expect(content).toContain("log_format velopanel_bytes_example.test '$msec $bytes_sent $status $host';");
    expect(content).toContain('access_log "/var/log/nginx/velopanel/7_example.test.log" velopanel_bytes_example.test;');
    expect(content.indexOf('log_format')).toBeLessThan(content.indexOf('server {'));
    expect(renderNginxVhost(spec, opts).content).not.toContain('access_log');
    expect(() => renderNginxVhost({ ...spec, accountId: 0 }, { ...opts, accessLogDir: '/var/log/x' })).toThrow(
      /refusing account id/,
    );
  });

  it('refuses values that could break out of the config', () => {
    for (const bad of [
      { documentRoot: '/x"; include /etc/shadow;' },
      { documentRoot: '/x\nserver {' },
      { domain: 'a.test;' },
      { aliases: ['b.test}'] },
      { aliases: ['$host'] },
      { documentRoot: '/srv/$host' },
    ])
      expect(() => renderNginxVhost({ ...spec, ...bad }, opts)).toThrow(/refusing/);
  });
});
