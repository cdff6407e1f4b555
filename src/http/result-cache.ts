/** A bounded LRU of n -> p_n. Answers never change, so entries never expire. Size 0 = off. */
export class ResultCache {
  readonly #entries = new Map<number, number>();
  constructor(readonly maxEntries: number) {}

  get(n: number): number | undefined {
    const prime = this.#entries.get(n);
    if (prime !== undefined) {
      // Map keeps insertion order: re-inserting marks it most recently used.
      this.#entries.delete(n);
      this.#entries.set(n, prime);
    }
    return prime;
  }

  set(n: number, prime: number): void {
    if (this.maxEntries === 0) return;
    this.#entries.delete(n);
    this.#entries.set(n, prime);
    if (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next().value as number;
      this.#entries.delete(oldest);
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}
