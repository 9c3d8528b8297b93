// Home trees for backup tests: fill one with the kinds of entries a real home has, and take a
// byte-exact snapshot (type, mode, size, SHA-256, link target, owner) to compare after a restore.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface TreeEntry {
  type: 'file' | 'dir' | 'link' | 'other';
  mode: number;
  size: number;
  sha256?: string;
  link?: string;
  uid: number;
  gid: number;
}

/** Every entry below `root` (links not followed), keyed by relative path. */
export function snapshot(root: string): Record<string, TreeEntry> {
  const out: Record<string, TreeEntry> = {};
  const walk = (dir: string, rel: string) => {
    for (const name of fs.readdirSync(dir).sort()) {
      const p = path.join(dir, name);
      const r = rel ? `${rel}/${name}` : name;
      const st = fs.lstatSync(p);
      const base = { mode: st.mode & 0o7777, size: st.isFile() ? st.size : 0, uid: st.uid, gid: st.gid };
      if (st.isDirectory()) {
        out[r] = { type: 'dir', ...base };
        walk(p, r);
      } else if (st.isSymbolicLink()) out[r] = { type: 'link', ...base, link: fs.readlinkSync(p) };
      else if (st.isFile())
        out[r] = { type: 'file', ...base, sha256: createHash('sha256').update(fs.readFileSync(p)).digest('hex') };
      else out[r] = { type: 'other', ...base };
    }
  };
  walk(root, '');
  return out;
}

/** A home with text and binary files, modes, nested and unicode names, inner links (relative and absolute). */
export function fillHome(home: string): void {
  const w = (rel: string, data: string | Buffer, mode = 0o644) => {
    fs.mkdirSync(path.dirname(path.join(home, rel)), { recursive: true });
    fs.writeFileSync(path.join(home, rel), data);
    fs.chmodSync(path.join(home, rel), mode);
  };
  w('public_html/index.html', '<h1>Welcome</h1>\n');
  w('public_html/wp-config.php', "<?php define('DB_PASSWORD', 'x$y`z');\n", 0o640);
  w('public_html/assets/logo.bin', randomBytes(3 * 1024 * 1024 + 5));
  w('bin/deploy.sh', '#!/bin/sh\necho deploy\n', 0o750);
  w('private/secret.txt', 'only me\n', 0o600);
  w('empty.txt', '');
  w('ünïcødé/файл.txt', 'unicode names\n');
  w(`deep/${'d'.repeat(90)}/${'e'.repeat(90)}/${'f'.repeat(120)}.txt`, 'long path\n');
  fs.mkdirSync(path.join(home, 'tmp'), { recursive: true });
  fs.chmodSync(path.join(home, 'tmp'), 0o1777);
  fs.chmodSync(path.join(home, 'private'), 0o700);
  fs.symlinkSync('public_html/index.html', path.join(home, 'home-link'));
  fs.symlinkSync('../index.html', path.join(home, 'public_html/assets/up-link'));
  fs.symlinkSync(path.join(home, 'private/secret.txt'), path.join(home, 'abs-link'));
  fs.symlinkSync('does-not-exist', path.join(home, 'dangling'));
}
