/**
 * The JSON Schema of results.json, generated from the zod schema (results-zod.ts) with
 * zod-to-json-schema. Published as docs/results.schema.json (`npm run schema` writes it; a test
 * fails when the committed file differs from what this produces).
 */
import { zodToJsonSchema } from 'zod-to-json-schema';
import { RESULTS_SCHEMA } from './types.js';
import { resultsDefinitions, resultsSchema } from './results-zod.js';

/** Where the published schema lives, relative to the repository root. */
export const RESULTS_JSON_SCHEMA_PATH = 'docs/results.schema.json';

/** The JSON Schema (draft 7) as an object. */
export function resultsJsonSchema(): Record<string, unknown> {
  const generated = zodToJsonSchema(resultsSchema, { target: 'jsonSchema7', definitions: resultsDefinitions, $refStrategy: 'root' }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    title: `fanin results.json (${RESULTS_SCHEMA})`,
    ...rest,
  };
}

/** The file's exact text: two-space JSON and a final newline. */
export function resultsJsonSchemaText(): string {
  return `${JSON.stringify(resultsJsonSchema(), null, 2)}\n`;
}
