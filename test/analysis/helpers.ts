import { parseFramework, type Framework } from '../../src/analysis/framework-schema.js';
import { scoreDocument } from '../../src/analysis/score-document.js';
import type { DocumentScore } from '../../src/analysis/score-schema.js';
import { synthesise } from '../../src/analysis/synthesise.js';
import type { Synthesis } from '../../src/analysis/synthesis-schema.js';
import { summariseFramework } from '../../src/analysis/synthesis-schema.js';

/** Two dimensions, law weighted 2 and unity weighted 1. */
export const miniFrameworkJson = {
  id: 'mini',
  version: '0.1',
  name: 'Mini framework',
  dimensions: [
    {
      id: 'law',
      name: 'Law',
      description: 'rule of law',
      weight: 2,
      lexicon: {
        for: [
          { term: 'rule of law', weight: 2 },
          { term: 'court', weight: 1 },
        ],
        against: [
          { term: 'decree', weight: 1 },
          { pattern: '\\bpurg(?:e|ed|ing)\\b', weight: 3 },
        ],
      },
    },
    {
      id: 'unity',
      name: 'Unity',
      description: 'civic unity',
      weight: 1,
      lexicon: {
        for: [{ term: 'together', weight: 1 }],
        against: [{ term: 'traitors', weight: 2 }],
      },
    },
  ],
};

export const miniFramework: Framework = parseFramework(miniFrameworkJson);

export const DOC_A = { id: 'a', title: 'Doc A', speaker: 'A', year: 2000, text: 'The Rule of Law binds every court. Together we stand.' };
export const DOC_B = {
  id: 'b',
  title: 'Doc B',
  speaker: 'B',
  year: 2001,
  text: 'They ruled by decree and purged the courts. Traitors! Rule, of law? Never.',
};

export function scoreTexts(texts: Record<string, string>, framework: Framework = miniFramework): DocumentScore[] {
  return Object.entries(texts).map(([id, text]) => scoreDocument({ id, title: id.toUpperCase(), text }, framework));
}

/** Synthesis of the given texts, each text in its own batch. */
export function synthesiseTexts(texts: Record<string, string>, framework: Framework = miniFramework): Synthesis {
  return synthesise({
    framework: summariseFramework(framework),
    rejected: [],
    batches: scoreTexts(texts, framework).map((doc, i) => ({ batchIndex: i, documents: [doc] })),
  });
}
