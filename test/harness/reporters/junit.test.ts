import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { junitReporter } from '../../../harness/reporters/junit.js';
import { compareResults } from '../../../harness/regression/compare.js';
import type { DiagnoseResults } from '../../../harness/results/types.js';
import { SECRET, TRICKY_TEXT, sampleResults } from '../fixtures/sample-results.js';

interface ParsedCase {
  '@_name': string;
  '@_classname': string;
  failure?: { '#text'?: string; '@_message': string; '@_type': string };
}
interface ParsedSuite {
  '@_name': string;
  '@_tests': string;
  '@_failures': string;
  testcase: ParsedCase[];
}

function parse(results: DiagnoseResults): { root: Record<string, string>; suites: Map<string, ParsedSuite> } {
  const xml = junitReporter.render(results);
  expect(XMLValidator.validate(xml)).toBe(true);
  const parser = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'testsuite' || name === 'testcase' });
  const doc = parser.parse(xml);
  const suites = new Map<string, ParsedSuite>();
  for (const s of doc.testsuites.testsuite as ParsedSuite[]) suites.set(s['@_name'], s);
  return { root: doc.testsuites, suites };
}

const failures = (s: ParsedSuite): ParsedCase[] => s.testcase.filter((c) => c.failure);

describe('junit reporter', () => {
  it('has gates, checkers and runs suites whose counts match the sample', () => {
    const { root, suites } = parse(sampleResults());
    expect([...suites.keys()]).toEqual(['gates', 'checkers', 'runs']);
    const expected = { gates: [4, 2], checkers: [7, 1], runs: [3, 1] } as const;
    for (const [name, [tests, failed]] of Object.entries(expected)) {
      const s = suites.get(name)!;
      expect(s.testcase).toHaveLength(tests);
      expect(failures(s)).toHaveLength(failed);
      expect(s['@_tests']).toBe(String(tests));
      expect(s['@_failures']).toBe(String(failed));
    }
    expect(root['@_tests']).toBe('14');
    expect(root['@_failures']).toBe('4');
  });

  it('carries evidence in checker failures and escapes <&" correctly', () => {
    const { suites } = parse(sampleResults());
    const [bad] = failures(suites.get('checkers')!);
    expect(bad!['@_name']).toBe('no-lost-tasks');
    expect(bad!.failure!['@_type']).toBe('invalid');
    expect(bad!.failure!['@_message']).toContain('was claimed by w-analyse_batch-3');
    const text = bad!.failure!['#text']!;
    expect(text).toContain(TRICKY_TEXT);
    expect(text).toContain('experiment exp-0003 · stage analyse_batch · task exp-0003:analyse_batch:4');
    expect(text).toContain('redis://user:***@127.0.0.1:6390/0');
    expect(junitReporter.render(sampleResults())).not.toContain(SECRET);
  });

  it('round-trips <&" in attributes and names', () => {
    const r = sampleResults();
    r.checkers[0]!.valid = false;
    r.checkers[0]!.summary = `a <b> & "c" 'd'`;
    r.checkers[0]!.evidence = [{ message: TRICKY_TEXT }];
    r.gates[0]!.expression = 'x<"&">1';
    const { suites } = parse(r);
    const c = suites.get('checkers')!.testcase[0]!;
    expect(c.failure!['@_message']).toBe(`a <b> & "c" 'd': ${TRICKY_TEXT}`);
    expect(suites.get('gates')!.testcase[0]!['@_name']).toBe('x<"&">1');
  });

  it("fails 'unknown' checkers with type unknown", () => {
    const r = sampleResults();
    r.checkers[2] = { ...r.checkers[2]!, valid: 'unknown', summary: 'checker threw: history is empty', evidence: [] };
    const { suites } = parse(r);
    const s = suites.get('checkers')!;
    expect(failures(s)).toHaveLength(2);
    const unknown = s.testcase.find((c) => c['@_name'] === 'fan-in-complete')!;
    expect(unknown.failure!['@_type']).toBe('unknown');
    expect(unknown.failure!['@_message']).toBe('checker threw: history is empty');
  });

  it('fails timed-out and failed runs with the cause and stage', () => {
    const r = sampleResults();
    r.runs[0] = { ...r.runs[0]!, status: 'failed', stage: 'review', cause: 'AGENT_FAILED: review rejected the synthesis' };
    const { suites } = parse(r);
    const bad = failures(suites.get('runs')!);
    expect(bad).toHaveLength(2);
    expect(bad[0]!.failure!['@_type']).toBe('failed');
    expect(bad[0]!.failure!['@_message']).toBe('failed at stage review: AGENT_FAILED: review rejected the synthesis');
    expect(bad[1]!.failure!['@_type']).toBe('timed-out');
    expect(bad[1]!.failure!['@_message']).toContain('timed-out at stage analyse_batch: did not finish within 30000 ms');
  });

  it('adds a regression suite when a baseline was compared', () => {
    const base = sampleResults();
    const r = sampleResults();
    r.regression = compareResults({ ...base, metrics: { ...base.metrics, 'e2e.p95': 1000 } }, r);
    const { suites } = parse(r);
    const s = suites.get('regression')!;
    // completion_rate + new_violations + one per p95 metric (e2e + 5 stages)
    expect(s.testcase).toHaveLength(8);
    expect(failures(s).map((c) => c['@_name'])).toEqual(['e2e.p95']);
  });
});
