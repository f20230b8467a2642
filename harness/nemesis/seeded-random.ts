/** A seeded PRNG for fault choices and random trigger times (mulberry32 over the run's seed). */
import { mixSeed, mulberry32 } from '../util/random.js';

export function seededRandom(seed: number): () => number {
  return mulberry32(mixSeed(seed, 0x6e656d65)); // 'neme': a stream apart from the latency model's
}
