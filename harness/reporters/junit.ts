/**
 * junit.xml for CI test reporters: suites `gates` (one case per gate), `checkers` (one per
 * checker; invalid and unknown fail), `runs` (one per run; failed and timed-out fail) and,
 * when a baseline was compared, `regression`.
 */
import type { CheckerResult, Evidence } from '../checkers/types.js';
import type { DiagnoseResults, GateResult, RegressionResult, RunOutcome } from '../results/types.js';
import { escapeXml, escapeXmlAttr } from './escape.js';
import { evidenceContext, formatMs, formatNumber, formatRate } from './format.js';
import { redact } from './redact.js';
import type { Reporter } from './reporter.js';

export const junitReporter: Reporter = {
  name: 'junit',
  file: 'junit.xml',
  render(results) {
    return renderJunit(redact(results));
  },
};

interface Case {
  name: string;
  classname: string;
  /** seconds */
  time: number;
  failure?: { message: string; type: string; text: string };
}

interface Suite {
  name: string;
  cases: Case[];
}

function renderJunit(r: DiagnoseResults): string {
  const suites: Suite[] = [
    { name: 'gates', cases: r.gates.map(gateCase) },
    { name: 'checkers', cases: r.checkers.map(checkerCase) },
    { name: 'runs', cases: r.runs.map(runCase) },
  ];
  if (r.regression) suites.push({ name: 'regression', cases: regressionCases(r.regression) });

  const tests = suites.reduce((n, s) => n + s.cases.length, 0);
  const failures = suites.reduce((n, s) => n + countFailures(s), 0);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${escapeXmlAttr(`fanin ${r.config.scenario}`)}" tests="${tests}" failures="${failures}" errors="0" time="${seconds(r.durationMs)}" timestamp="${escapeXmlAttr(r.createdAt)}">`,
  ];
  for (const s of suites) lines.push(...renderSuite(s, r));
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

function renderSuite(s: Suite, r: DiagnoseResults): string[] {
  const time = s.cases.reduce((t, c) => t + c.time, 0);
  const lines = [
    `  <testsuite name="${escapeXmlAttr(s.name)}" tests="${s.cases.length}" failures="${countFailures(s)}" errors="0" skipped="0" time="${time.toFixed(3)}" timestamp="${escapeXmlAttr(r.createdAt)}">`,
  ];
  for (const c of s.cases) {
    const open = `    <testcase classname="${escapeXmlAttr(c.classname)}" name="${escapeXmlAttr(c.name)}" time="${c.time.toFixed(3)}"`;
    if (!c.failure) {
      lines.push(`${open}/>`);
      continue;
    }
    lines.push(`${open}>`);
    lines.push(
      `      <failure message="${escapeXmlAttr(c.failure.message)}" type="${escapeXmlAttr(c.failure.type)}">${escapeXml(c.failure.text)}</failure>`,
    );
    lines.push('    </testcase>');
  }
  lines.push('  </testsuite>');
  return lines;
}

function countFailures(s: Suite): number {
  return s.cases.filter((c) => c.failure).length;
}

function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

function gateCase(g: GateResult): Case {
  const c: Case = { name: g.expression, classname: 'fanin.gates', time: 0 };
  if (!g.passed) {
    const message = g.reason ?? `${g.metric} is ${formatNumber(g.actual)}, required ${g.op} ${formatNumber(g.threshold)}`;
    c.failure = {
      message,
      type: 'gate',
      text: `gate ${g.expression}\nmetric ${g.metric} = ${formatNumber(g.actual)} (required ${g.op} ${formatNumber(g.threshold)})\n${message}`,
    };
  }
  return c;
}

function evidenceLine(e: Evidence): string {
  const ctx = evidenceContext(e);
  return ctx ? `${e.message} (${ctx})` : e.message;
}

function checkerCase(k: CheckerResult): Case {
  const c: Case = { name: k.name, classname: 'fanin.checkers', time: 0 };
  if (k.valid === true) return c;
  const first = k.evidence[0];
  const message = first ? `${k.summary}: ${first.message}` : k.summary;
  const text = [k.summary, ...k.evidence.map((e) => `- ${evidenceLine(e)}`)].join('\n');
  c.failure = { message, type: k.valid === 'unknown' ? 'unknown' : 'invalid', text };
  return c;
}

function runCase(run: RunOutcome): Case {
  const c: Case = {
    name: `run ${run.run} (${run.experimentId})`,
    classname: 'fanin.runs',
    time: Math.max(0, run.durationMs) / 1000,
  };
  if (run.status === 'completed') return c;
  const message = `${run.status} at stage ${run.stage}: ${run.cause || 'no cause recorded'}`;
  c.failure = {
    message,
    type: run.status,
    text: `experiment ${run.experimentId}\nstatus ${run.status}\nstage ${run.stage}\ncause ${run.cause || '–'}\nduration ${formatMs(run.durationMs)}`,
  };
  return c;
}

function regressionCases(g: RegressionResult): Case[] {
  const cls = 'fanin.regression';
  const cr = g.completionRate;
  const cases: Case[] = [
    {
      name: 'completion_rate',
      classname: cls,
      time: 0,
      failure: cr.regressed
        ? {
            message: `completion rate dropped from ${formatRate(cr.baseline)} to ${formatRate(cr.current)} (baseline ${g.baseline})`,
            type: 'regression',
            text: `baseline ${cr.baseline}\ncurrent ${cr.current}\ndelta ${cr.delta}`,
          }
        : undefined,
    },
    {
      name: 'new_violations',
      classname: cls,
      time: 0,
      failure:
        g.newViolations.length > 0
          ? {
              message: `checkers valid in baseline ${g.baseline} and not now: ${g.newViolations.join(', ')}`,
              type: 'regression',
              text: g.newViolations.join('\n'),
            }
          : undefined,
    },
  ];
  for (const l of g.latency) {
    cases.push({
      name: l.metric,
      classname: cls,
      time: 0,
      failure: l.regressed
        ? {
            message: `${l.metric} grew ×${l.ratio.toFixed(2)} (${formatMs(l.baseline)} → ${formatMs(l.current)}), tolerance ×${(1 + g.tolerance).toFixed(2)}`,
            type: 'regression',
            text: `baseline ${l.baseline}\ncurrent ${l.current}\nratio ${l.ratio}`,
          }
        : undefined,
    });
  }
  return cases;
}
