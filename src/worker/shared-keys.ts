/**
 * The KEYS of one batched script call, each group of keys sent once: a group the call already
 * holds (tasks of one experiment loaded or completed together) is named by where it starts.
 */
export class SharedKeys {
  readonly keys: string[];
  private readonly at = new Map<string, number>();

  /** `head`: keys the call names first, one per item (never shared). */
  constructor(head: readonly string[] = []) {
    this.keys = [...head];
  }

  /** Where `group` starts in `keys` (0-based), added when the call does not hold it yet. */
  place(group: readonly string[]): number {
    const id = group.join('\n');
    let k = this.at.get(id);
    if (k === undefined) {
      k = this.keys.length;
      this.at.set(id, k);
      this.keys.push(...group);
    }
    return k;
  }
}
