import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PreviousFile, writeParts } from './main-file.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'vp-main-file-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the main file written in parts and its previous version', () => {
  it('writes every part in order, more parts than one writev takes included', () => {
    const file = path.join(tempDir(), 'veloserve.toml');
    const parts = Array.from({ length: 3000 }, (_, i) => Buffer.from(i % 7 === 0 ? '' : `part ${i}\n`));
    writeParts(file, parts);
    expect(readFileSync(file, 'utf8')).toBe(parts.map(String).join(''));
  });

  it('removes the previous file off the request path, leaving neither .vp-old nor .vp-gone', async () => {
    const dir = tempDir();
    const cfg = path.join(dir, 'veloserve.toml');
    writeFileSync(cfg, 'new\n');
    writeFileSync(`${cfg}.vp-old`, 'old\n');
    const previous = new PreviousFile(cfg);
    previous.discard(`${cfg}.vp-old`);
    expect(existsSync(`${cfg}.vp-old`)).toBe(false);
    await previous.discarded();
    expect(readdirSync(dir)).toEqual(['veloserve.toml']);
  });

  it('clears a removal a crash interrupted at start', () => {
    const dir = tempDir();
    const cfg = path.join(dir, 'veloserve.toml');
    writeFileSync(cfg, 'live\n');
    writeFileSync(`${cfg}.vp-gone`, 'old\n');
    new PreviousFile(cfg).prepare();
    expect(readdirSync(dir)).toEqual(['veloserve.toml']);
  });
});
