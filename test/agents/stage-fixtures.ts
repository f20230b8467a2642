import { analyseBatch } from '../../src/agents/analyse-batch.js';
import { corpusSynthesis } from '../../src/agents/corpus-synthesis.js';
import { preTest } from '../../src/agents/pre-test.js';
import type { AnalyseOutput } from '../../src/agents/stage-schemas.js';
import type { Synthesis } from '../../src/analysis/synthesis-schema.js';
import { DOC_A, DOC_B, miniFrameworkJson } from '../analysis/helpers.js';
import { makeCtx } from './context.js';

const json = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** analyse_batch outputs for the mini corpus (a, b, c) with batch size 1, in index order. */
export async function miniAnalyses(): Promise<AnalyseOutput[]> {
  const corpus = [DOC_A, DOC_B, { ...DOC_A, id: 'c', title: 'Doc C', text: 'court together' }];
  const pre = json((await preTest(makeCtx({ stage: 'pre_test', inputs: [{ corpus, framework: miniFrameworkJson }], params: { batchSize: 1 } }))).output);
  const out: AnalyseOutput[] = [];
  for (let index = 0; index < 3; index++) {
    out.push(json((await analyseBatch(makeCtx({ stage: 'analyse_batch', inputs: [pre], index, width: 3 }))).output as AnalyseOutput));
  }
  return out;
}

export async function miniSynthesis(): Promise<Synthesis> {
  const analyses = await miniAnalyses();
  return json((await corpusSynthesis(makeCtx({ stage: 'corpus_synthesis', inputs: analyses }))).output as Synthesis);
}
