import { describe, expect, it } from 'vitest';
import { fromContractPath } from './home-paths.js';

const home = '/srv/vp/data/home/johndoe';

describe('fromContractPath', () => {
  it('maps the contract form of a home to the real home in local mode', () => {
    expect(fromContractPath('local', home, '/home/johndoe/blog')).toBe(`${home}/blog`);
    expect(fromContractPath('local', home, '/home/johndoe')).toBe(home);
    expect(fromContractPath('local', home, `${home}/blog`)).toBe(`${home}/blog`);
  });

  it("leaves other accounts' homes, prefix look-alikes and linux mode alone (the caller's checks refuse them)", () => {
    expect(fromContractPath('local', home, '/home/johndoe2/blog')).toBe('/home/johndoe2/blog');
    expect(fromContractPath('local', home, '/home/alice/blog')).toBe('/home/alice/blog');
    expect(fromContractPath('local', home, '/homejohndoe/blog')).toBe('/homejohndoe/blog');
    expect(fromContractPath('linux', '/srv/homes/johndoe', '/home/johndoe/blog')).toBe('/home/johndoe/blog');
  });
});
