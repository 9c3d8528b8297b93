/**
 * Run plugins' ready tasks: a plugin's tasks start once those of every plugin it starts after
 * (`after`, from the loader's order) have settled, so a reconciliation never races the one it
 * builds on; plugins unrelated to each other run side by side. A task's failure is `run`'s to
 * report; it never holds back the plugins after it.
 */
export async function runInOrder<T extends { pluginId: string }>(
  tasks: T[],
  after: ReadonlyMap<string, string[]>,
  run: (task: T) => Promise<void> | void,
): Promise<void> {
  const settled = new Map<string, Promise<void>>();
  const of = (id: string): Promise<void> => {
    const known = settled.get(id);
    if (known) return known;
    let release!: () => void;
    // Registered before the plugins it waits for are looked at, so a cycle cannot recurse forever.
    settled.set(id, new Promise<void>((resolve) => (release = resolve)));
    const own = tasks.filter((t) => t.pluginId === id);
    void Promise.all((after.get(id) ?? []).map(of))
      .then(() =>
        Promise.all(
          own.map((t) =>
            Promise.resolve()
              .then(() => run(t))
              .catch(() => undefined),
          ),
        ),
      )
      .finally(release);
    return settled.get(id)!;
  };
  await Promise.all([...new Set(tasks.map((t) => t.pluginId))].map(of));
}
