// Bundles the UI's vendor entries (plugins/ui/client/vendor/*.ts: the code editor) into single
// ES modules beside the compiled client, replacing tsc's output of the same name, whose bare
// package imports a browser cannot load. The shell never imports them; pages load them lazily.
// Run after tsc: `node scripts/ui-vendor.mjs <client out dir>` (tests compile into temp dirs).
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The UI's Content-Security-Policy refuses inline style attributes, and CodeMirror's view sets two
 * with setAttribute (the content's tab-size, and the crosshair cursor while Alt is held); each is
 * refused with a console error. They become a class the editor's theme styles (vendor/editor.ts).
 * A CodeMirror release that changes these lines fails the build rather than the CSP.
 */
const cspSafeView = {
  name: 'velopanel-csp-safe-codemirror-view',
  transform(code, id) {
    if (!/[\\/]@codemirror[\\/]view[\\/]dist[\\/]index\.js$/.test(id)) return null;
    const edits = [
      ['style: `${browser.tabSize}: ${this.state.tabSize}`,', ''],
      ['const showCrosshair = { style: "cursor: crosshair" };', 'const showCrosshair = { class: "cm-crosshair" };'],
    ];
    for (const [from, to] of edits) {
      if (!code.includes(from))
        throw new Error(
          `ui-vendor: @codemirror/view no longer contains ${from}; check its inline styles against the CSP`,
        );
      code = code.replace(from, to);
    }
    return { code, map: null };
  },
};

export async function uiVendor(clientOutDir = path.join(root, 'dist/plugins/ui/client')) {
  let build;
  try {
    ({ build } = await import('rolldown'));
  } catch {
    return false;
  }
  const src = path.join(root, 'plugins/ui/client/vendor');
  if (!existsSync(src)) return false;
  const input = Object.fromEntries(
    readdirSync(src)
      .filter((n) => n.endsWith('.ts'))
      .map((n) => [n.slice(0, -3), path.join(src, n)]),
  );
  await build({
    cwd: root,
    input,
    platform: 'browser',
    logLevel: 'warn',
    plugins: [cspSafeView],
    output: {
      dir: path.join(clientOutDir, 'vendor'),
      format: 'esm',
      entryFileNames: '[name].js',
      chunkFileNames: '[name]-[hash].js',
      minify: true,
    },
  });
  return true;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href)
  await uiVendor(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
