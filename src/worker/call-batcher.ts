/**
 * Coalesces the calls a worker makes in one turn of the event loop into one call per group
 * (a shard: its keys share one hash tag, so one Redis Cluster slot). The deliveries one claim
 * hands over are loaded together, and agents that return together complete together: one
 * script call, one reply, where there were as many as tasks. Each caller gets its own answer.
 * A batch that fails as a whole (a key of the wrong type, an out-of-memory refusal, an outage)
 * is sent again item by item, so what concerns one item fails that item alone.
 */
interface Pending<In, Out> {
  item: In;
  resolve(out: Out): void;
  reject(err: unknown): void;
}

export class CallBatcher<In, Out> {
  private readonly queued = new Map<string, Pending<In, Out>[]>();

  /** `send` makes one call for the items and answers each, in order. */
  constructor(private readonly send: (items: readonly In[]) => Promise<Out[]>) {}

  call(group: string, item: In): Promise<Out> {
    return new Promise((resolve, reject) => {
      let batch = this.queued.get(group);
      if (!batch) {
        this.queued.set(group, (batch = []));
        queueMicrotask(() => this.flush(group));
      }
      batch.push({ item, resolve, reject });
    });
  }

  private flush(group: string): void {
    const batch = this.queued.get(group) ?? [];
    this.queued.delete(group);
    this.sendSome(batch).catch((err: unknown) => {
      if (batch.length === 1) return batch[0].reject(err);
      for (const p of batch) this.sendSome([p]).catch(p.reject);
    });
  }

  private async sendSome(batch: readonly Pending<In, Out>[]): Promise<void> {
    const answers = await this.send(batch.map((p) => p.item));
    if (answers.length !== batch.length) throw new Error(`a batch of ${batch.length} calls got ${answers.length} answers`);
    batch.forEach((p, i) => p.resolve(answers[i]));
  }
}
