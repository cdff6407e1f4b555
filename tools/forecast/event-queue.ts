/**
 * The simulation's clock: a binary min-heap of events by time, ties broken by the order they
 * were scheduled in, so a run never depends on how the heap happens to order equal times.
 * Times, sequence numbers and payloads sit in parallel arrays (no object per heap entry).
 */
export class EventQueue<T> {
  private times: number[] = [];
  private seqs: number[] = [];
  private items: T[] = [];
  private nextSeq = 0;

  get size(): number {
    return this.items.length;
  }

  /** Time of the earliest event; Infinity when empty. */
  peekTime(): number {
    return this.items.length === 0 ? Number.POSITIVE_INFINITY : this.times[0];
  }

  push(time: number, item: T): void {
    if (!(time >= 0) || !Number.isFinite(time)) throw new RangeError(`an event needs a finite time >= 0, got ${time}`);
    const seq = this.nextSeq++;
    let i = this.items.length;
    this.times.push(time);
    this.seqs.push(seq);
    this.items.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = this.times[parent];
      if (pt < time || (pt === time && this.seqs[parent] < seq)) break;
      this.times[i] = pt;
      this.seqs[i] = this.seqs[parent];
      this.items[i] = this.items[parent];
      i = parent;
    }
    this.times[i] = time;
    this.seqs[i] = seq;
    this.items[i] = item;
  }

  /** Removes and returns the earliest event's payload (undefined when empty). */
  pop(): T | undefined {
    const n = this.items.length;
    if (n === 0) return undefined;
    const top = this.items[0];
    const lastTime = this.times.pop()!;
    const lastSeq = this.seqs.pop()!;
    const lastItem = this.items.pop()!;
    const size = n - 1;
    if (size > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= size) break;
        const r = l + 1;
        let c = l;
        if (r < size && (this.times[r] < this.times[l] || (this.times[r] === this.times[l] && this.seqs[r] < this.seqs[l]))) c = r;
        const ct = this.times[c];
        if (ct > lastTime || (ct === lastTime && this.seqs[c] > lastSeq)) break;
        this.times[i] = ct;
        this.seqs[i] = this.seqs[c];
        this.items[i] = this.items[c];
        i = c;
      }
      this.times[i] = lastTime;
      this.seqs[i] = lastSeq;
      this.items[i] = lastItem;
    }
    return top;
  }
}
