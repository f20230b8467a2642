import { describe, expect, it } from 'vitest';
import { markdownReporter } from '../../../harness/reporters/markdown.js';
import { compareResults } from '../../../harness/regression/compare.js';
import { SECRET, TRICKY_TEXT, sampleResults } from '../fixtures/sample-results.js';

describe('markdown reporter', () => {
  const md = markdownReporter.render(sampleResults());

  it('has the verdict and expected outcome in the title, and the config line', () => {
    expect(markdownReporter.file).toBe('summary.md');
    const first = md.split('\n')[0]!;
    expect(first).toContain('❌');
    expect(first).toContain('FAILED');
    expect(first).toContain('expected to pass');
    expect(md).toContain('**3** runs × concurrency 3');
    expect(md).toContain('`redis://user:***@127.0.0.1:6390/0`');
    expect(md).not.toContain(SECRET);
  });

  it('has the completion, gates, checkers and latency tables', () => {
    expect(md).toContain('| Completed | Failed | Timed out | Completion rate |');
    expect(md).toContain('| 2/3 | 0 | 1 | 66.7% |');
    expect(md).toContain('| Gate | Actual | Pass |');
    expect(md).toMatch(/\| `completion_rate>=0\.95` \| 0\.6667 \| ❌/);
    expect(md).toMatch(/\| `e2e\.p95<=5000` \| 2680 \| ✅ \|/);
    expect(md).toContain('| Checker | Valid | Summary |');
    expect(md).toMatch(/\| no-lost-tasks \| ❌ invalid \|/);
    expect(md.match(/✅ valid/g)).toHaveLength(6);
    expect(md).toContain('| Scope | Count | p50 | p95 | p99 | Max |');
    expect(md).toContain('| **end-to-end** | 2 | 2.14 s | 2.68 s | 2.68 s | 2.68 s |');
    for (const stage of ['pre_test', 'analyse_batch', 'corpus_synthesis', 'review', 'moderation']) {
      expect(md).toContain(`| \`${stage}\` |`);
    }
    expect(md).not.toContain('### Regression');
  });

  it('lists the top evidence of failing checkers, HTML-escaped', () => {
    expect(md).toContain('### Top evidence');
    expect(md).toContain('**no-lost-tasks** (invalid)');
    expect(md).toContain(TRICKY_TEXT.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;'));
    expect(md).not.toContain('<missing>');
  });

  it('caps evidence at 5 per checker', () => {
    const r = sampleResults();
    const bad = r.checkers[1]!;
    bad.evidence = Array.from({ length: 8 }, (_, i) => ({ message: `witness ${i}` }));
    const out = markdownReporter.render(r);
    expect(out).toContain('- witness 4');
    expect(out).not.toContain('- witness 5');
    expect(out).toContain('…and 3 more');
  });

  it('has a regression section when present', () => {
    const base = sampleResults();
    const r = sampleResults();
    r.regression = compareResults({ ...base, metrics: { ...base.metrics, 'e2e.p95': 1000 } }, r, { baselineName: 'main@abc123' });
    const out = markdownReporter.render(r);
    expect(out).toContain('### Regression vs `main@abc123` ❌');
    expect(out).toMatch(/\| `e2e\.p95` \| 1 s \| 2\.68 s \| ×2\.68 \| ❌ \|/);
  });

  it('keeps table cells intact when text holds pipes and newlines', () => {
    const r = sampleResults();
    r.checkers[0]!.summary = 'a | b\nc';
    const out = markdownReporter.render(r);
    expect(out).toContain('| a \\| b c |');
  });
});
