/**
 * A bounded least-recently-used map whose entries also expire at a given time. Used for verified
 * credentials, so a hot token costs a map lookup instead of a signature check.
 */
export class ExpiringCache<V> {
  private readonly map = new Map<string, { value: V; expires: number }>();

  constructor(private readonly max: number) {}

  get size(): number {
    return this.map.size;
  }

  get(key: string, now = Date.now()): V | undefined {
    const entry = this.map.get(key);
    if (!entry) return undefined;
    this.map.delete(key);
    if (now >= entry.expires) return undefined;
    this.map.set(key, entry);
    return entry.value;
  }

  /** Store until `expires` (epoch ms); the least recently used entry makes room when full. */
  set(key: string, value: V, expires: number): void {
    this.map.delete(key);
    if (this.map.size >= this.max) this.map.delete(this.map.keys().next().value as string);
    this.map.set(key, { value, expires });
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
