/**
 * A bounded LRU of answers by key (the core keys them `<job>:<cacheKey>`). Jobs whose answers
 * never change are the ones cached, so entries never expire. Size 0 = off.
 */
export class ResultCache {
  readonly #entries = new Map<string, unknown>();
  constructor(readonly maxEntries: number) {}

  get(key: string): unknown {
    const value = this.#entries.get(key);
    if (value !== undefined) {
      // Map keeps insertion order: re-inserting marks it most recently used.
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: unknown): void {
    if (this.maxEntries === 0 || value === undefined) return;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}
