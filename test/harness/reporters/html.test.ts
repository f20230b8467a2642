import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { htmlReporter } from '../../../harness/reporters/html.js';
import { compareResults } from '../../../harness/regression/compare.js';
import { SECRET, TRICKY_TEXT, sampleResults } from '../fixtures/sample-results.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`report.html browser test skipped: ${CHROMIUM} does not exist (install Debian's chromium to run it)`);

const SCREENSHOT = fileURLToPath(new URL('../../../reports/screenshots/report.png', import.meta.url));

function sampleWithRegression() {
  const r = sampleResults();
  const base = sampleResults();
  base.metrics = { ...base.metrics, 'stage.analyse_batch.p95': 400 };
  r.regression = compareResults(base, r, { baselineName: 'main@4c1d9e2' });
  return r;
}

describe('html reporter (static)', () => {
  const html = htmlReporter.render(sampleWithRegression());

  it('is one self-contained file: no scripts, no external URLs, credentials redacted', () => {
    expect(htmlReporter.file).toBe('report.html');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/\b(src|href)=/i);
    expect(html).not.toContain(SECRET);
    expect(html).toContain('redis://user:***@127.0.0.1:6390/0');
  });

  it('escapes text', () => {
    expect(html).not.toContain('<missing>');
    expect(html).toContain('score field &quot;weight&quot; was &lt;missing&gt; &amp; the stage advanced anyway');
  });
});

describe('html reporter in headless Chromium', () => {
  let browser: Browser | undefined;
  let dir: string | undefined;

  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it.skipIf(!hasChromium)('renders the histograms, waterfall, runs and sections without errors or requests', async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    dir = await mkdtemp(path.join(tmpdir(), 'fanin-html-'));
    const results = sampleWithRegression();
    const file = path.join(dir, 'report.html');
    await writeFile(file, htmlReporter.render(results), 'utf8');
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('request', (req) => {
      if (!req.url().startsWith('file://')) requests.push(req.url());
    });
    const url = pathToFileURL(file).href;
    await page.goto(url, { waitUntil: 'load' });

    expect(await page.title()).toBe('fanin FAILED — worker-crash-mid-batch');
    expect(await page.locator('header.verdict.fail .badge').innerText()).toContain('FAILED');

    // one histogram per stage plus end-to-end, with a bar per bucket
    const stages = Object.keys(results.latency.stages).length;
    await expect(page.locator('svg.histogram').count()).resolves.toBe(stages + 1);
    const bars = results.latency.e2e.buckets.length + Object.values(results.latency.stages).reduce((n, l) => n + l.buckets.length, 0);
    await expect(page.locator('svg.histogram rect.hist-bar').count()).resolves.toBe(bars);
    const firstBox = await page.locator('svg.histogram').first().boundingBox();
    expect(firstBox!.width).toBeGreaterThan(200);
    expect(firstBox!.height).toBeGreaterThan(80);

    // waterfall: one bar per span, labelled stage/index, open and failed spans marked
    const spans = results.slowestRun!.spans;
    await expect(page.locator('svg.waterfall rect.wf-bar').count()).resolves.toBe(spans.length);
    await expect(page.locator('svg.waterfall rect.wf-open').count()).resolves.toBe(1);
    await expect(page.locator('svg.waterfall rect.wf-fail').count()).resolves.toBe(2);
    const labels = await page.locator('svg.waterfall text.wf-label').allTextContents();
    expect(labels).toContain('analyse_batch/4');
    expect(labels[0]).toBe('pre_test/0');
    const widths = await page.locator('svg.waterfall rect.wf-bar').evaluateAll((els) => els.map((e) => (e as SVGRectElement).getBBox().width));
    expect(Math.max(...widths)).toBeGreaterThan(500); // the open analyse_batch/4 runs to the timeout

    // completion table: one row per run
    const rows = page.locator('#runs tbody tr.run-row');
    await expect(rows.count()).resolves.toBe(3);
    const third = await rows.nth(2).locator('td').allInnerTexts();
    expect(third).toEqual(['3', 'exp-0003', 'timed-out', 'analyse_batch', '30 s', results.runs[2]!.cause]);

    await expect(page.locator('#gates tr.gate-row').count()).resolves.toBe(4);
    await expect(page.locator('#checkers tr.checker-row').count()).resolves.toBe(7);
    expect(await page.locator('#checkers').innerText()).toContain(TRICKY_TEXT);
    expect(await page.locator('#health').innerText()).toContain('Consumer groups');
    expect(await page.locator('#regression').innerText()).toContain('stage.analyse_batch.p95');
    expect(await page.locator('#regression tr.regression-row.bad').count()).toBe(1);

    expect(errors).toEqual([]);
    expect(requests).toEqual([]);

    await mkdir(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(existsSync(SCREENSHOT)).toBe(true);
    await page.close();
  }, 60_000);
});
