import { fileURLToPath } from 'node:url';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { loadTemplate, type VhostSpec } from '../../sdk/index.js';
import { assembleConfig, BEGIN, END, operatorPart } from './assemble.js';
import { renderVeloServeVhost, tomlString } from './render.js';
import { checkVeloServeConfig } from './schema.js';

const template = loadTemplate(fileURLToPath(new URL('../../templates', import.meta.url)), 'veloserve/virtualhost.toml');
const spec: VhostSpec = {
  domain: 'a.test',
  aliases: ['b.test'],
  documentRoot: '/home/a/public_html',
  accountId: 1,
  accountUsername: 'a',
  homeDir: '/home/a',
  suspended: false,
};
const frag = renderVeloServeVhost(spec, template, '/etc/veloserve/suspended').content;

describe('VeloServe fragments and the managed section', () => {
  it('renders a [[virtualhost]] per name with the same root, valid for VeloServe', () => {
    const doc = parse(frag) as any;
    expect(doc.virtualhost).toEqual([
      { domain: 'a.test', root: '/home/a/public_html', platform: 'generic', index: ['index.php', 'index.html'] },
      { domain: 'b.test', root: '/home/a/public_html', platform: 'generic', index: ['index.php', 'index.html'] },
    ]);
    const suspended = parse(
      renderVeloServeVhost({ ...spec, suspended: true, tls: { certificate: '/c.pem', key: '/k.pem' } }, template, '/s')
        .content,
    ) as any;
    expect(suspended.virtualhost[0]).toMatchObject({
      root: '/s/a.test',
      ssl_certificate: '/c.pem',
      ssl_certificate_key: '/k.pem',
    });
  });

  it('appends the section to a file without virtual hosts and replaces it in place later', () => {
    const op = '[server]\nlisten = "0.0.0.0:8080"\n';
    const once = assembleConfig(op, [frag]);
    expect(once).toBe(`${op}\n${BEGIN}\n${frag}${END}\n`);
    const twice = assembleConfig(once + '\n[cache]\nenable = true\n', []);
    expect(twice).toBe(`${op}\n${BEGIN}\n${END}\n\n[cache]\nenable = true\n`);
    expect(operatorPart(twice)).toBe(`${op}\n\n[cache]\nenable = true\n`);
    expect(checkVeloServeConfig(assembleConfig(op, [frag]))).toBeNull();
  });

  it("goes before the operator's first virtual host so their catch-all stays last", () => {
    const op = '[server]\nworkers = "auto"\n\n[[virtualhost]]\ndomain = "*"\nroot = "/var/www"\n';
    const out = assembleConfig(op, [frag]);
    expect((parse(out) as any).virtualhost.map((v: any) => v.domain)).toEqual(['a.test', 'b.test', '*']);
    expect(operatorPart(out)).toBe(op.replace('[[virtualhost]]', '\n[[virtualhost]]'));
    expect(checkVeloServeConfig(out)).toBeNull();
  });

  it('schema check catches what VeloServe would get wrong', () => {
    expect(
      checkVeloServeConfig('[[virtualhost]]\ndomain = "*"\nroot = "/x"\n[[virtualhost]]\ndomain = "a"\nroot = "/y"\n'),
    ).toMatch(/catch-all/);
    expect(checkVeloServeConfig('[[virtualhost]]\ndomain = "a"\n')).toMatch(/root/);
    expect(checkVeloServeConfig('[server]\nmax_connections = "many"\n')).toMatch(/max_connections/);
    expect(checkVeloServeConfig('[[virtualhost]\n')).toMatch(/^TOML/);
  });

  it('quotes TOML strings and refuses unsafe values', () => {
    expect(tomlString('/home/a/public_html', 'root')).toBe('"/home/a/public_html"');
    for (const bad of ['/x"\n[server]', '/x\\', "/x'", '/x y'])
      expect(() => tomlString(bad, 'root')).toThrow(/refusing/);
  });
});
