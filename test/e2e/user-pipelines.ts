/**
 * The pipelines a user writes in the e2e test's fresh projects, as file contents. `tally`:
 * split fans out dynamically to 6 measure tasks, combine is their fan-in, summary the final
 * stage; its golden `reference` measures the whole word list at once, without the pipeline.
 */
export const TALLY_TS = `import { definePipeline, type StageHandler } from 'fanin';

export const PARTS = 6;

interface Input { run: number; words: string[] }
interface Groups { groups: string[][] }
interface Measure { index: number; letters: number; longest: string }

const TEXTS = [
  'every worker takes one task from the queue and hands back one result',
  'the fan in waits for all six parts before the final stage may start',
  'a lost task or a task run twice would change the sum of letters here',
];

/** the longer word, ties to the one first in alphabetical order */
export function longer(a: string, b: string): string {
  return b.length > a.length || (b.length === a.length && b.localeCompare(a) < 0) ? b : a;
}

export const measure: StageHandler = (ctx) => {
  const group = (ctx.inputs[0] as Groups).groups[ctx.index];
  return { output: { index: ctx.index, letters: group.reduce((n, w) => n + w.length, 0), longest: group.reduce(longer, '') } };
};

export function tally(overrides: Record<string, StageHandler> = {}) {
  return definePipeline({
    pipeline: {
      name: 'tally',
      stages: [{ name: 'split' }, { name: 'measure', width: 'dynamic' }, { name: 'combine' }, { name: 'summary' }],
    },
    handlers: {
      split: (ctx) => {
        const words = (ctx.inputs[0] as Input).words;
        const groups = Array.from({ length: PARTS }, (_, i) => words.filter((_, j) => j % PARTS === i));
        return { output: { groups }, fanOut: PARTS };
      },
      measure,
      combine: (ctx) => {
        const parts = ctx.inputs as Measure[];
        return { output: { parts: parts.length, letters: parts.reduce((n, p) => n + p.letters, 0), longest: parts.map((p) => p.longest).reduce(longer, '') } };
      },
      summary: (ctx) => {
        const c = ctx.inputs[0] as { parts: number; letters: number; longest: string };
        return { output: { letters: c.letters, longest: c.longest } };
      },
      ...overrides,
    },
    inputs: (runIndex) => ({ run: runIndex, words: TEXTS[runIndex % TEXTS.length].split(' ') }),
    // the golden answer: the whole text at once (no groups), the longest word by sorting
    reference: (input) => {
      const words = (input as Input).words;
      const sorted = [...words].sort((a, b) => b.length - a.length || a.localeCompare(b));
      return { letters: words.join('').length, longest: sorted[0] };
    },
  });
}

export default tally();
`;

/** tally with a planted bug: a fallback in measure returns a placeholder for every odd index. */
export const TALLY_BUG_TS = `import { measure, tally } from './pipeline.js';

export default tally({
  measure: (ctx) => {
    if (ctx.index % 2 === 1) return { output: { index: ctx.index, letters: 0, longest: 'placeholder' } };
    return measure(ctx);
  },
});
`;

/** A plain-JavaScript pipeline module (no tsx needed): split → 4 doubles → sum. */
export const DOUBLES_MJS = `import { definePipeline } from 'fanin';

export default definePipeline({
  pipeline: { name: 'doubles', stages: [{ name: 'split' }, { name: 'double', width: 'dynamic' }, { name: 'sum' }] },
  handlers: {
    split: (ctx) => ({ output: { xs: ctx.inputs[0].xs }, fanOut: ctx.inputs[0].xs.length }),
    double: (ctx) => ({ output: ctx.inputs[0].xs[ctx.index] * 2 }),
    sum: (ctx) => ({ output: { total: ctx.inputs.reduce((a, b) => a + b, 0) } }),
  },
  inputs: (runIndex) => ({ xs: [1, 2, 3, runIndex] }),
  reference: (input) => ({ total: 2 * input.xs.reduce((a, b) => a + b, 0) }),
});
`;

export const TSCONFIG = `${JSON.stringify({
  compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true },
  include: ['*.ts'],
}, null, 2)}\n`;

/** A script programming against `fanin/harness` (types and a diagnose run). */
export const USE_HARNESS_TS = `import { diagnose, type DiagnoseResults } from 'fanin/harness';

const { results }: { results: DiagnoseResults } = await diagnose({ pipeline: './pipeline.ts', runs: 2 });
console.log(\`harness api: \${results.verdict.passed ? 'PASS' : 'FAIL'} \${results.runs.length} runs\`);
`;
