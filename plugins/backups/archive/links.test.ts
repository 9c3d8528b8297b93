import { describe, expect, it } from 'vitest';
import { HomeLinks } from './links.js';

describe('HomeLinks', () => {
  const home = '/home/alice';
  it('accepts links that stay inside, relative or absolute', () => {
    const l = new HomeLinks(home);
    expect(l.escape('a/b/link', '../c')).toBeNull();
    expect(l.escape('link', 'public_html/index.html')).toBeNull();
    expect(l.escape('x/y', '/home/alice/public_html')).toBeNull();
    expect(l.escape('dangling', 'nowhere/at/all')).toBeNull();
  });

  it('refuses links leading out, including the prefix trap', () => {
    const l = new HomeLinks(home);
    expect(l.escape('link', '/etc/shadow')).toMatch(/outside/);
    expect(l.escape('link', '/home/alice2/x')).toMatch(/outside/);
    expect(l.escape('a/link', '../../x')).toMatch(/outside/);
    expect(l.escape('link', '..')).toMatch(/outside/);
  });

  it('follows other links of the tree: a chain that leads out is caught', () => {
    const l = new HomeLinks(home);
    l.add('a/b/up', '../..');
    l.add('a/b/x', 'up/..');
    l.add('loop1', 'loop2');
    l.add('loop2', 'loop1');
    expect(l.escape('a/b/up', '../..')).toBeNull();
    expect(l.escape('a/b/x', 'up/..')).toMatch(/outside/);
    expect(l.escape('a/b/x', 'up/..', false)).toBeNull();
    expect(l.escape('loop1', 'loop2')).toMatch(/loop/);
    expect(l.firstEscape()?.rel).toBe('a/b/x');
  });

  it('knows entries under a link and rebases absolute targets to a new home', () => {
    const l = new HomeLinks(home);
    l.add('www', 'public_html');
    expect(l.underLink('www/index.php')).toBe('www');
    expect(l.underLink('wwwx/index.php')).toBeNull();
    expect(HomeLinks.rebase('/home/alice/x', '/home/alice', '/srv/alice')).toBe('/srv/alice/x');
    expect(HomeLinks.rebase('/home/alice2/x', '/home/alice', '/srv/alice')).toBe('/home/alice2/x');
    expect(HomeLinks.rebase('rel/x', '/home/alice', '/srv/alice')).toBe('rel/x');
  });
});
