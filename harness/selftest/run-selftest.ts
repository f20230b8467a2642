/**
 * `fanin selftest`: the harness's diagnostic power as a number. Runs every variant against the
 * scenarios it declares (and the clean core against the same cells), prints the matrix
 * variant × scenario (caught: which checker and its first evidence line, or missed), the
 * mutation score and the clean core's false alarms, and writes reports. Exit 0 only with every
 * variant caught and no false alarm.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeError } from '../../src/index.js';
import { writeReports } from '../reporters/write-reports.js';
import { diagnose } from '../runner/diagnose.js';
import { knownVariants, loadVariant, VARIANT_DIR, type Variant } from '../runner/variant.js';
import type { DiagnoseResults } from '../results/types.js';
import { selftestMarkdown, type SelftestCell, type SelftestResult } from './selftest-report.js';

export interface SelftestOptions {
  /** runs per cell (default 3) */
  runs?: number;
  /** transports to run (default both) */
  transports?: ('streams' | 'lists')[];
  /** only these variants (default: every known variant) */
  variants?: string[];
  /** directory of extra variants (--variant-dir) */
  variantDir?: string;
  reportDir: string;
  /** machine-readable output on stdout */
  json?: boolean;
  quiet?: boolean;
}

type Transport = 'streams' | 'lists';

interface Loaded {
  variant: Variant;
  ref: string;
  dir?: string;
}

async function loadAll(opts: SelftestOptions): Promise<Loaded[]> {
  const refs: { ref: string; dir?: string }[] = opts.variants?.length
    ? opts.variants.map((ref) => ({ ref, dir: opts.variantDir && knownVariants(opts.variantDir).includes(ref) ? opts.variantDir : undefined }))
    : [...knownVariants(VARIANT_DIR).map((ref) => ({ ref })), ...(opts.variantDir ? knownVariants(opts.variantDir).map((ref) => ({ ref, dir: opts.variantDir })) : [])];
  const out: Loaded[] = [];
  for (const { ref, dir } of refs) out.push({ variant: await loadVariant(ref, dir ?? VARIANT_DIR), ref, dir });
  return out;
}

/** What failed first in a run: the first invalid checker (name and evidence), else the verdict's reason. */
export function firstFinding(r: DiagnoseResults): { checker: string; evidence: string } | null {
  if (r.verdict.passed) return null;
  const invalid = r.checkers.find((c) => c.valid !== true);
  if (invalid) return { checker: invalid.name, evidence: invalid.evidence[0]?.message ?? invalid.summary };
  const gate = r.gates.find((g) => !g.passed);
  if (gate) return { checker: `gate ${gate.expression}`, evidence: `actual ${String(gate.actual)}` };
  return { checker: 'verdict', evidence: r.verdict.reasons[0] ?? 'failed' };
}

async function runCell(o: SelftestOptions, scenario: string, transport: Transport, v: Loaded | null): Promise<{ results?: DiagnoseResults; error?: string }> {
  try {
    const { results, history } = await diagnose({
      scenario, transport, runs: o.runs ?? 3, variant: v ? v.ref : null, variantDir: v?.dir, keepRedis: false,
    });
    await writeReports(results, history, { dir: join(o.reportDir, 'selftest-runs') });
    return { results };
  } catch (err) {
    return { error: describeError(err) };
  }
}

export async function selftest(opts: SelftestOptions, onCell?: (c: SelftestCell) => void): Promise<SelftestResult> {
  const started = Date.now();
  const variants = await loadAll(opts);
  const wanted = opts.transports ?? ['streams', 'lists'];
  const cells: SelftestCell[] = [];
  const clean = new Map<string, { passed: boolean; detail: string }>();
  for (const v of variants) {
    for (const scenario of v.variant.scenarios) {
      for (const transport of v.variant.transports.filter((t) => wanted.includes(t))) {
        const key = `${scenario}|${transport}`;
        if (!clean.has(key)) {
          const c = await runCell(opts, scenario, transport, null);
          const finding = c.results ? firstFinding(c.results) : null;
          clean.set(key, { passed: !!c.results?.verdict.passed, detail: c.error ?? (finding ? `${finding.checker}: ${finding.evidence}` : '') });
        }
        const r = await runCell(opts, scenario, transport, v);
        const finding = r.results ? firstFinding(r.results) : null;
        const cell: SelftestCell = {
          variant: v.variant.name, bug: v.variant.bug, scenario, transport,
          caught: !!finding && clean.get(key)!.passed, checker: finding?.checker ?? null,
          evidence: r.error ? `error: ${r.error}` : (finding?.evidence ?? null), error: r.error ?? null,
        };
        cells.push(cell);
        onCell?.(cell);
      }
    }
  }
  return { ...scoreSelftest(variants.map((v) => v.variant.name), cells, clean), seconds: Math.round((Date.now() - started) / 1000) };
}

/**
 * The mutation score from the cells run: a variant counts when it has cells on the transports
 * asked for (one declaring only streams is not run by `--transport lists`, and is listed apart,
 * never counted as missed); it is caught when every one of its cells is.
 */
export function scoreSelftest(
  names: string[], cells: SelftestCell[], clean: Map<string, { passed: boolean; detail: string }>,
): Omit<SelftestResult, 'seconds'> {
  const tested = names.filter((n) => cells.some((c) => c.variant === n));
  const caught = tested.filter((n) => cells.filter((c) => c.variant === n).every((c) => c.caught));
  const falseAlarms = [...clean].filter(([, c]) => !c.passed).map(([key, c]) => ({ cell: key.replace('|', ' · '), detail: c.detail }));
  return {
    variants: tested, notRun: names.filter((n) => !tested.includes(n)), cells, caught,
    score: tested.length ? caught.length / tested.length : 0, falseAlarms,
    passed: tested.length > 0 && caught.length === tested.length && falseAlarms.length === 0,
  };
}

/** Runs the selftest; resolves with the process exit code (0 every variant caught and no false alarm, else 1). */
export async function runSelftest(opts: SelftestOptions): Promise<number> {
  const progress = opts.quiet || opts.json ? undefined : (c: SelftestCell) =>
    void process.stderr.write(`${c.caught ? 'caught' : 'MISSED'} ${c.variant} · ${c.scenario} (${c.transport})${c.checker ? `: ${c.checker}` : ''}\n`);
  const result = await selftest(opts, progress);
  const dir = join(opts.reportDir, `selftest-${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}`);
  await mkdir(dir, { recursive: true });
  const md = selftestMarkdown(result);
  await writeFile(join(dir, 'selftest.json'), `${JSON.stringify(result, null, 2)}\n`);
  await writeFile(join(dir, 'selftest.md'), md);
  process.stdout.write(opts.json ? `${JSON.stringify(result, null, 2)}\n` : `${md}\nreports: ${dir}\n`);
  return result.passed ? 0 : 1;
}
