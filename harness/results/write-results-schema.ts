/** `npm run schema`: writes docs/results.schema.json from the zod schema of results.json. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESULTS_JSON_SCHEMA_PATH, resultsJsonSchemaText } from './results-json-schema.js';

const file = join(import.meta.dirname, '../..', RESULTS_JSON_SCHEMA_PATH);
writeFileSync(file, resultsJsonSchemaText());
process.stdout.write(`wrote ${RESULTS_JSON_SCHEMA_PATH}\n`);
