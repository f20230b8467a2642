/**
 * The integrity checker's schemas, from the pipeline module's `schemas`: the last stage's schema
 * validates every completed experiment's final result (none given: it must be JSON), and every
 * other stage's schema the outputs of that stage. Stub agents skip them (their outputs are hashes).
 */
import type { PipelineModule } from '../../src/index.js';

type Validate = (output: unknown) => string[];

export interface RunSchemas {
  validateResult: Validate;
  validateStage: Record<string, Validate>;
  /** why they are not checked, when skipped */
  skipped?: string;
}

function validator(schema: PipelineModule['schemas'][string]): Validate {
  return (out) => {
    const r = schema.safeParse(out);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  };
}

export function runSchemas(m: PipelineModule, stubAgents: boolean): RunSchemas {
  const json: Validate = () => [];
  if (stubAgents) {
    const named = Object.keys(m.schemas);
    return { validateResult: json, validateStage: {}, skipped: named.length ? `schemas skipped (${named.join(', ')}): stub agents replaced the handlers (--stub-agents)` : undefined };
  }
  const last = m.pipeline.stages[m.pipeline.stages.length - 1].name;
  const validateStage: Record<string, Validate> = {};
  for (const [stage, schema] of Object.entries(m.schemas)) if (stage !== last) validateStage[stage] = validator(schema);
  return { validateResult: m.schemas[last] ? validator(m.schemas[last]) : json, validateStage };
}
