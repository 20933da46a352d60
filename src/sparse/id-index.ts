/**
 * Maps external string ids (users, items) to dense indices 0..n-1, once.
 *
 * Algorithms work on dense indices in typed arrays; the id strings are kept only here, so a
 * result can be turned back into ids at the edge of the algorithm.
 */
export class IdIndex {
  readonly #indexById = new Map<string, number>();
  readonly #ids: string[] = [];

  /** The index of `id`, assigning the next free one when the id is new. */
  intern(id: string): number {
    let index = this.#indexById.get(id);
    if (index === undefined) {
      index = this.#ids.length;
      this.#indexById.set(id, index);
      this.#ids.push(id);
    }
    return index;
  }

  /** The index of `id`, or -1 when it was never interned. */
  indexOf(id: string): number {
    return this.#indexById.get(id) ?? -1;
  }

  idAt(index: number): string {
    const id = this.#ids[index];
    if (id === undefined) throw new RangeError(`no id at index ${index} (size ${this.size})`);
    return id;
  }

  get size(): number {
    return this.#ids.length;
  }

  /** All ids in index order. */
  ids(): readonly string[] {
    return this.#ids;
  }
}
