/**
 * VeloServe reads one file and has no include directive, so the engine owns one marked section of
 * it — the `[[virtualhost]]` tables built from the fragments under `vhosts/` — and keeps every
 * other line exactly as the operator wrote it.
 */
export const BEGIN = '# >>> VeloPanel managed virtual hosts: generated from vhosts/, edits here are overwritten >>>';
export const END = '# <<< VeloPanel managed virtual hosts <<<';

const VHOST_HEADER = /^[ \t]*\[\[[ \t]*virtualhost[ \t]*\]\]/m;

/**
 * The main config with its managed section replaced by `fragments` (in the given order). Without a
 * section yet, it goes before the operator's first `[[virtualhost]]` (their catch-all stays last)
 * or, when there is none, at the end — never in the middle of another table.
 */
export function assembleConfig(current: string, fragments: string[]): string {
  const body = fragments.map((f) => (f.endsWith('\n') ? f : `${f}\n`)).join('\n');
  const section = `${BEGIN}\n${body}${END}\n`;
  const begin = current.indexOf(BEGIN);
  const end = current.indexOf(END);
  if (begin !== -1 && end > begin) {
    const after = current.slice(end + END.length).replace(/^\r?\n/, '');
    return current.slice(0, begin) + section + after;
  }
  const header = VHOST_HEADER.exec(current);
  if (header) return `${current.slice(0, header.index)}${section}\n${current.slice(header.index)}`;
  const sep = current === '' || current.endsWith('\n\n') ? '' : current.endsWith('\n') ? '\n' : '\n\n';
  return `${current}${sep}${section}`;
}

/** The operator's part of a config (everything outside the managed section), for comparisons. */
export function operatorPart(config: string): string {
  const begin = config.indexOf(BEGIN);
  const end = config.indexOf(END);
  if (begin === -1 || end < begin) return config;
  return config.slice(0, begin) + config.slice(end + END.length).replace(/^\r?\n/, '');
}

/**
 * The fragments the managed section of a config holds, each as {@link assembleConfig} placed it
 * (ending with a newline), keyed by the domain its marker line names. What VeloServe serves is
 * this file, not the fragments under `vhosts/`: comparing the two finds a change a crash left
 * half-way (fragments swapped, main file not) or a hand edit of the section.
 */
export function sectionFragments(config: string, marker: string): Map<string, string> {
  const out = new Map<string, string>();
  const begin = config.indexOf(BEGIN);
  const end = config.indexOf(END);
  if (begin === -1 || end < begin) return out;
  const body = config.slice(config.indexOf('\n', begin) + 1, end);
  // Fragments are joined by one blank line, and each starts with its marker line.
  const starts = [
    ...body.matchAll(new RegExp(`(?:^|\\n\\n)(?=${marker.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: )`, 'g')),
  ].map((m) => m.index + m[0].length);
  starts.forEach((start, i) => {
    const piece = body.slice(start, i + 1 < starts.length ? starts[i + 1]! - 1 : body.length);
    const domain = /^[^\n]*?: (\S+)/.exec(piece)?.[1];
    if (domain) out.set(domain, piece);
  });
  return out;
}
