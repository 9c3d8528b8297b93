import type { PluginManifest } from '../../sdk/plugin.js';

/** One id a manifest consumes: `id`, or `id?` when the plugin does without it. */
function consumed(m: PluginManifest): { id: string; optional: boolean }[] {
  return (m.consumes ?? []).map((c) => ({ id: c.replace(/\?$/, ''), optional: c.endsWith('?') }));
}

/**
 * Order plugins so each comes after its dependencies, present optional dependencies, and the
 * plugins that provide what it consumes (services and extension points named in `provides`).
 * Returns the order, what each plugin starts after, and, per plugin that cannot start, why: a
 * missing dependency, something consumed that no plugin provides, or a cycle (named as
 * `a → b (consumes 'x') → a`). Ties keep the discovery order, so the result is stable.
 */
export function orderPlugins(manifests: PluginManifest[]): {
  order: string[];
  problems: Map<string, string>;
  after: Map<string, string[]>;
} {
  const byId = new Map(manifests.map((m) => [m.id, m]));
  const providers = new Map<string, string[]>();
  for (const m of manifests) for (const p of m.provides ?? []) providers.set(p, [...(providers.get(p) ?? []), m.id]);
  const problems = new Map<string, string>();
  const order: string[] = [];
  const after = new Map<string, string[]>();
  const state = new Map<string, 'visiting' | 'done'>();

  const declared = (m: PluginManifest) => [
    ...(m.dependencies ?? []),
    ...(m.optionalDependencies ?? []).filter((d) => byId.has(d)),
  ];
  const edges = (m: PluginManifest) => [
    ...new Set([
      ...declared(m),
      ...consumed(m)
        .flatMap((c) => providers.get(c.id) ?? [])
        .filter((p) => p !== m.id),
    ]),
  ];
  /** Why `from` starts after `to`, when it is not a declared dependency. */
  const via = (from: string, to: string) => {
    const m = byId.get(from)!;
    if (declared(m).includes(to)) return '';
    const c = consumed(m).find((x) => providers.get(x.id)?.includes(to));
    return c ? ` (consumes '${c.id}')` : '';
  };

  const visit = (id: string, trail: string[]): void => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') {
      const members = [...trail.slice(trail.indexOf(id)), id];
      const cycle = members.map((x, i) => (i + 1 < members.length ? `${x}${via(x, members[i + 1]!)}` : x)).join(' → ');
      for (const member of members.slice(0, -1)) problems.set(member, `dependency cycle: ${cycle}`);
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
    const unprovided = consumed(m).find((c) => !c.optional && !providers.has(c.id));
    if (unprovided && !problems.has(id)) problems.set(id, `consumes '${unprovided.id}', which no plugin provides`);
    state.set(id, 'done');
    after.set(
      id,
      edges(m).filter((d) => byId.has(d)),
    );
    order.push(id);
  };
  for (const m of manifests) visit(m.id, []);
  // A plugin whose dependency cannot start cannot start either; nor can one whose every provider of something it needs.
  for (const id of order) {
    if (problems.has(id)) continue;
    const m = byId.get(id)!;
    const bad = (m.dependencies ?? []).find((d) => problems.has(d));
    if (bad) problems.set(id, `dependency '${bad}' is unavailable (${problems.get(bad)})`);
    const lost = consumed(m).find((c) => !c.optional && providers.get(c.id)!.every((p) => p !== id && problems.has(p)));
    if (!bad && lost)
      problems.set(
        id,
        `consumes '${lost.id}', whose providers are unavailable (${providers
          .get(lost.id)!
          .map((p) => `${p}: ${problems.get(p)}`)
          .join('; ')})`,
      );
  }
  return { order, problems, after };
}

/** What a started plugin provided (services, extension points) that its manifest does not declare. */
export function undeclaredProvisions(m: PluginManifest, provided: string[]): string[] {
  return [...new Set(provided)].filter((id) => !(m.provides ?? []).includes(id)).sort();
}
