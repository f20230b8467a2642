import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { renderConsole } from '../../../harness/reporters/console.js';
import { FILE_FORMATS, parseFormats, REPORT_FORMATS, REPORTERS } from '../../../harness/reporters/index.js';
import { ConfigError } from '../../../src/errors.js';
import { SECRET, sampleResults } from '../fixtures/sample-results.js';

const ANSI = /\u001b\[[0-9;]*m/;

describe('console reporter', () => {
  it('is plain text at chalk level 0', () => {
    const out = renderConsole(sampleResults(), new Chalk({ level: 0 }));
    expect(out).not.toMatch(ANSI);
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^✗ FAILED {2}worker-crash-mid-batch \(no-reclaim\) · expected to pass · exit 1/);
    expect(out).toContain('2 completed  0 failed  1 timed out  of 3 · completion 66.7%');
    expect(out).toMatch(/✗ completion_rate>=0\.95 +actual 0\.6667/);
    expect(out).toMatch(/✓ e2e\.p95<=5000 +actual 2680/);
    expect(out).toMatch(/✗ no-lost-tasks +invalid +1 task claimed/);
    expect(out.match(/✓ \S+ +valid /g)).toHaveLength(6);
    expect(out).toContain('End-to-end  p50 2.14 s  p95 2.68 s  p99 2.68 s');
    expect(out).not.toContain(SECRET);
  });

  it('colours at chalk level > 0 with the same visible text', () => {
    const coloured = renderConsole(sampleResults(), new Chalk({ level: 1 }));
    expect(coloured).toMatch(ANSI);
    expect(coloured.replace(new RegExp(ANSI.source, 'g'), '')).toBe(renderConsole(sampleResults(), new Chalk({ level: 0 })));
  });

  it('shows unknown checkers', () => {
    const r = sampleResults();
    r.checkers[0]!.valid = 'unknown';
    expect(renderConsole(r, new Chalk({ level: 0 }))).toMatch(/\? completion +unknown/);
  });
});

describe('reporter registry', () => {
  it('maps every name to its reporter and file', () => {
    expect(REPORT_FORMATS).toEqual(['console', 'json', 'markdown', 'junit', 'html']);
    for (const name of REPORT_FORMATS) expect(REPORTERS[name].name).toBe(name);
    expect(REPORTERS.console.file).toBeUndefined();
    expect(FILE_FORMATS.map((f) => REPORTERS[f].file)).toEqual(['results.json', 'summary.md', 'junit.xml', 'report.html']);
  });

  it('parses comma lists', () => {
    expect(parseFormats('json')).toEqual(['json']);
    expect(parseFormats(' json, HTML ,json,,junit')).toEqual(['json', 'html', 'junit']);
    expect(parseFormats('all')).toEqual([...REPORT_FORMATS]);
  });

  it('rejects unknown names with a ConfigError listing the known ones', () => {
    expect(() => parseFormats('json,pdf')).toThrow(ConfigError);
    expect(() => parseFormats('json,pdf')).toThrow(/unknown report format "pdf"; known formats: console, json, markdown, junit, html/);
    expect(() => parseFormats(' , ')).toThrow(ConfigError);
  });
});
