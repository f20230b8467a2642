/**
 * Every output the ledger shows is the expected one for its task (a wrong output means the
 * task got wrong or partial inputs), every record belongs to a submitted experiment and a known
 * task, and every record has the contract's shape.
 */
import { ledgerSpan, taskName } from '../ledger-read.js';
import { expectedByTask, short } from './progress.js';
import type { CheckInput } from './types.js';

export function taskOutputsCheck(input: CheckInput): string[] {
  const out: string[] = input.invalid.map((r) => `ledger record ${r.id} is not a contract record: ${r.problem}`);
  const expected = new Map(input.experiments.map((e) => [e.experiment, expectedByTask(e.experiment, e.batches)]));
  const unknown = new Map<string, string[]>();
  for (const r of input.records) {
    const tasks = expected.get(r.experiment);
    if (!tasks) {
      unknown.set(r.experiment, [...(unknown.get(r.experiment) ?? []), r.id]);
      continue;
    }
    const name = taskName(r.stage, r.index);
    const want = tasks.get(name);
    if (want === undefined) {
      out.push(`experiment ${r.experiment}: the ledger names ${name}, which the workload does not have ${ledgerSpan([r.id])}`);
    } else if (r.type === 'end' && r.ok && r.output !== want) {
      out.push(`${name} of ${r.experiment}: output ${short(r.output)} by worker ${r.worker}, expected ${short(want)} (wrong or missing inputs) ${ledgerSpan([r.id])}`);
    }
  }
  for (const [exp, ids] of unknown) {
    if (exp === 'null' || input.experiments.some((e) => e.expect.kind === 'refuse')) continue; // poison inputs may not parse
    out.push(`the ledger has ${ids.length} record(s) of experiment ${exp}, which fanin never submitted ${ledgerSpan(ids)}`);
  }
  return out;
}
