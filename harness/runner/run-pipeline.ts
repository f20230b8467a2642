/**
 * The pipeline module a diagnose run uses: `--pipeline PATH` (resolved from the working
 * directory), else the built-in constitutional-analysis module with the run's `--corpus`,
 * `--framework` and the scenario's batch size and corpus copies. Also the path worker processes
 * load it from (absolute), and what the report records.
 */
import { resolve } from 'node:path';
import { ConfigError, loadPipelineModule, type PipelineModule } from '../../src/index.js';
import { constitutionalPaths, constitutionalPipeline } from '../../fixtures/pipelines/constitutional.js';
import { codeFile } from '../util/code-root.js';

export const BUILTIN_PIPELINE_MODULE = codeFile('fixtures/pipelines/constitutional.ts');

export interface RunPipeline {
  module: PipelineModule;
  /** absolute path of the module (worker processes load it) */
  path: string;
  /** the user's module path as given, null for the built-in pipeline */
  given: string | null;
  /** the built-in pipeline's input files; null for a user's pipeline */
  corpus: string | null;
  framework: string | null;
}

export interface RunPipelineOptions {
  pipeline?: string;
  corpus?: string;
  framework?: string;
  batchSize: number;
  corpusCopies: number;
}

export async function runPipelineOf(o: RunPipelineOptions): Promise<RunPipeline> {
  if (o.pipeline === undefined) {
    const paths = constitutionalPaths(o);
    const module = constitutionalPipeline({ ...paths, batchSize: o.batchSize, corpusCopies: o.corpusCopies });
    return { module, path: BUILTIN_PIPELINE_MODULE, given: null, corpus: paths.corpus, framework: paths.framework };
  }
  const given = [o.corpus && '--corpus', o.framework && '--framework'].filter(Boolean);
  if (given.length > 0) {
    throw new ConfigError(`${given.join(' and ')} set the built-in pipeline's input; a pipeline module gives its own \`inputs\``, { pipeline: o.pipeline });
  }
  return { module: await loadPipelineModule(o.pipeline), path: resolve(o.pipeline), given: o.pipeline, corpus: null, framework: null };
}
