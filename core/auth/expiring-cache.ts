/**
 * A bounded, approximately least-recently-used map whose entries also expire at a given time. Used
 * for verified credentials, so a hot token costs a map lookup instead of a signature check. A hit
 * moves an entry to the young end only once it has aged by half the capacity: re-inserting on
 * every hit costs more than the lookup itself.
 */
export class ExpiringCache<V> {
  private readonly map = new Map<string, { value: V; expires: number; tick: number }>();
  private tick = 0;

  constructor(private readonly max: number) {}

  get size(): number {
    return this.map.size;
  }

  get(key: string, now = Date.now()): V | undefined {
    const entry = this.map.get(key);
    if (!entry) return undefined;
    if (now >= entry.expires) {
      this.map.delete(key);
      return undefined;
    }
    if (this.tick - entry.tick > this.max / 2) {
      this.map.delete(key);
      entry.tick = ++this.tick;
      this.map.set(key, entry);
    }
    return entry.value;
  }

  /** Store until `expires` (epoch ms); the least recently used entry makes room when full. */
  set(key: string, value: V, expires: number): void {
    this.map.delete(key);
    if (this.map.size >= this.max) this.map.delete(this.map.keys().next().value as string);
    this.map.set(key, { value, expires, tick: ++this.tick });
  }

  delete(key: string): void {
    this.map.delete(key);
  }

  /** Drop every entry whose value matches (revocation of all tokens of a user). */
  deleteWhere(match: (value: V) => boolean): void {
    for (const [key, entry] of this.map) if (match(entry.value)) this.map.delete(key);
  }

  clear(): void {
    this.map.clear();
  }
}
