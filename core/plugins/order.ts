import type { PluginManifest } from '../../sdk/plugin.js';

/**
 * Order plugins so each comes after its dependencies (and present optional dependencies).
 * Returns the order and, per plugin that cannot start, why: a missing dependency or a cycle
 * (named as `a → b → a`). Ties keep the discovery order, so the result is stable.
 */
export function orderPlugins(manifests: PluginManifest[]): { order: string[]; problems: Map<string, string> } {
  const byId = new Map(manifests.map((m) => [m.id, m]));
  const problems = new Map<string, string>();
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();

  const edges = (m: PluginManifest) => [...(m.dependencies ?? []), ...(m.optionalDependencies ?? []).filter((d) => byId.has(d))];

  const visit = (id: string, trail: string[]): void => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') {
      const cycle = [...trail.slice(trail.indexOf(id)), id].join(' → ');
      for (const member of trail.slice(trail.indexOf(id))) problems.set(member, `dependency cycle: ${cycle}`);
      return;
    }
    state.set(id, 'visiting');
    const m = byId.get(id)!;
    for (const dep of edges(m)) {
      if (!byId.has(dep)) {
        problems.set(id, `missing dependency: ${dep}`);
        continue;
      }
      visit(dep, [...trail, id]);
    }
    state.set(id, 'done');
    order.push(id);
  };
  for (const m of manifests) visit(m.id, []);
  // A plugin whose dependency cannot start cannot start either.
  for (const id of order) {
    if (problems.has(id)) continue;
    const bad = (byId.get(id)!.dependencies ?? []).find((d) => problems.has(d));
    if (bad) problems.set(id, `dependency '${bad}' is unavailable (${problems.get(bad)})`);
  }
  return { order, problems };
}
