/**
 * The starter pipeline module `fanin init` writes (fanin.pipeline.ts): split → count × N (a
 * dynamic fan-out) → merge (the fan-in) → report, deterministic handlers and a golden
 * `reference` computed without the pipeline. Kept as text so it ships in dist/ unchanged.
 */
export const PIPELINE_FILE = 'fanin.pipeline.ts';

export const PIPELINE_TEMPLATE = `/**
 * A starter pipeline for fanin (written by \`fanin init\`): split → count × N (a dynamic fan-out)
 * → merge (the fan-in of every count task) → report. Replace the handlers with your agents.
 * \`reference\` is a golden answer computed without the pipeline: fanin checks every completed
 * run's final result against it (set \`reference: false\` when your agents are not deterministic).
 *
 *   npx fanin diagnose --pipeline fanin.pipeline.ts                        # 10 runs
 *   npx fanin diagnose --pipeline fanin.pipeline.ts --scenario worker-kill # SIGKILL a worker mid-task
 *   npx fanin diagnose --pipeline fanin.pipeline.ts --scenario all         # every fault scenario
 */
import { definePipeline } from 'fanin';

interface Input { id: number; text: string }
interface Plan { chunks: string[] }
interface Count { chars: number; vowels: number }
interface Totals { chunks: number; chars: number; vowels: number }

const TEXTS = [
  'a pipeline fans out to many workers and fans back in once every task is done',
  'redis carries each task to exactly one worker and keeps it until the work is acknowledged',
  'when a worker dies mid task another one picks the task up and the result stays the same',
];

/** How many count tasks each run fans out to. */
const CHUNKS = 4;

function chunksOf(text: string, n: number): string[] {
  const size = Math.ceil(text.length / n);
  return Array.from({ length: n }, (_, i) => text.slice(i * size, (i + 1) * size));
}

function vowelsIn(s: string): number {
  return (s.match(/[aeiou]/g) ?? []).length;
}

export default definePipeline({
  pipeline: {
    name: 'starter',
    stages: [
      { name: 'split' },
      { name: 'count', width: 'dynamic' },
      { name: 'merge' },
      { name: 'report' },
    ],
  },
  handlers: {
    split: (ctx) => {
      const chunks = chunksOf((ctx.inputs[0] as Input).text, CHUNKS);
      return { output: { chunks }, fanOut: chunks.length };
    },
    count: (ctx) => {
      const chunk = (ctx.inputs[0] as Plan).chunks[ctx.index];
      return { output: { chars: chunk.length, vowels: vowelsIn(chunk) } };
    },
    merge: (ctx) => {
      const counts = ctx.inputs as Count[];
      const totals: Totals = { chunks: counts.length, chars: 0, vowels: 0 };
      for (const c of counts) {
        totals.chars += c.chars;
        totals.vowels += c.vowels;
      }
      return { output: totals };
    },
    report: (ctx) => {
      const t = ctx.inputs[0] as Totals;
      return { output: { chunks: t.chunks, chars: t.chars, vowels: t.vowels } };
    },
  },
  inputs: (runIndex) => ({ id: runIndex, text: TEXTS[runIndex % TEXTS.length] }),
  // the golden answer, computed from the whole text without splitting it
  reference: (input) => {
    const text = (input as Input).text;
    let vowels = 0;
    for (const ch of text) if ('aeiou'.includes(ch)) vowels += 1;
    return { chunks: CHUNKS, chars: text.length, vowels };
  },
});
`;
