/// <reference lib="dom" />
// The callbacks given to page.evaluate run in the page, where the DOM exists.
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartSpecs, readReportFile, summarizeReport, writeReportPages } from '../src/index.ts';
import { launchChromium } from './headless-chromium.ts';
import { FIXTURE_K6, FIXTURE_REPORT, TEST_OUTPUT } from './report-fixture.ts';

// The page, its screenshot and the Markdown stay in test-output/ for CI to keep as artifacts.
const OUT = join(TEST_OUTPUT, 'html-report');
const SCREENSHOT = join(TEST_OUTPUT, 'report-screenshot.png');

let browser: Browser;
let html: string;
const chartWarnings: string[] = [];

beforeAll(async () => {
  const { report } = await readReportFile(FIXTURE_REPORT);
  await rm(OUT, { recursive: true, force: true });
  await mkdir(OUT, { recursive: true });
  const pages = await writeReportPages(OUT, report, {
    k6Folders: [FIXTURE_K6],
    onChartWarning: (warning) => chartWarnings.push(warning),
  });
  html = pages.html;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

describe('report.html in headless Chromium', () => {
  it('renders every chart and every table, loads nothing from the network, and logs no errors', async () => {
    const { report } = await readReportFile(FIXTURE_REPORT);
    const charts = chartSpecs(summarizeReport(report));
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    const requests: string[] = [];
    const problems: string[] = [];
    // Every request the page makes passes through here; anything but the page itself and data: is refused.
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      requests.push(url);
      if (url.startsWith('file:') || url.startsWith('data:')) await route.continue();
      else await route.abort('blockedbyclient');
    });
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning')
        problems.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));

    const url = pathToFileURL(html).href;
    await page.goto(url, { waitUntil: 'load' });

    expect(requests.filter((r) => !r.startsWith('file:') && !r.startsWith('data:'))).toEqual([]);
    expect(requests).toEqual([url]);
    expect(problems).toEqual([]);
    expect(chartWarnings).toEqual([]);

    // One SVG per chart, each laid out at a real size and holding its marks.
    const svgs = await page.$$eval('figure .chart > svg', (nodes) =>
      nodes.map((svg) => {
        const box = svg.getBoundingClientRect();
        return {
          id: svg.closest('figure')?.id ?? '',
          width: box.width,
          height: box.height,
          marks: svg.querySelectorAll('path, rect, text').length,
          // A text of several lines holds one tspan per line.
          texts: [...svg.querySelectorAll('text')].map((t) =>
            t.querySelector('tspan')
              ? [...t.querySelectorAll('tspan')].map((line) => line.textContent ?? '').join('\n')
              : (t.textContent ?? ''),
          ),
        };
      }),
    );
    expect(svgs.map((svg) => svg.id)).toEqual(charts.map((chart) => `chart-${chart.id}`));
    // Five comparisons, then a latency-over-time chart per scenario.
    expect(svgs.map((svg) => svg.id)).toEqual([
      'chart-throughput',
      'chart-latency',
      'chart-violations',
      'chart-contention',
      'chart-lock-waits',
      'chart-timeline-withdraw-storm',
      'chart-timeline-flash-sale',
    ]);
    expect(await page.locator('svg').count()).toBe(charts.length);
    const labels = summarizeReport(report).rows.map((row) => row.label);
    for (const svg of svgs) {
      expect(svg.width).toBeGreaterThan(500);
      expect(svg.height).toBeGreaterThan(150);
      expect(svg.marks).toBeGreaterThan(40);
      // Every chart marks the unsafe cells in words.
      expect(svg.texts.some((text) => text.includes('✗ UNSAFE'))).toBe(true);
      if (svg.id.startsWith('chart-timeline-')) {
        // A panel per row, titled with the row's label and how many operations it shows: its
        // lines, without the verdict mark, are exactly those.
        const titles = svg.texts.map((text) => text.replace(' ✗ UNSAFE', '').replace(/\s+/g, ' '));
        for (const label of labels)
          expect(titles.filter((t) => t === `${label} 60 operations`)).toHaveLength(1);
        expect(svg.texts.some((text) => /^naive ✗ UNSAFE\s+60 operations$/.test(text))).toBe(true);
        expect(svg.texts).toContain('ok');
      } else {
        // Each comparison names both scenarios in its panel headers.
        expect(svg.texts).toEqual(expect.arrayContaining(['withdraw-storm', 'flash-sale']));
      }
    }
    // Every cell has its throughput bar (on a log axis a bar needs a start other than 0), and every
    // sampled operation of a timeline its point.
    const count = (id: string, selector: string) =>
      page.locator(`#${id} svg`).evaluate((svg, sel) => svg.querySelectorAll(sel).length, selector);
    expect(await count('chart-throughput', 'path[aria-roledescription="bar"]')).toBe(
      summarizeReport(report).cells.length,
    );
    const points = summarizeReport(report)
      .cells.filter((cell) => cell.scenario === 'flash-sale')
      .reduce((n, cell) => n + (cell.timeline?.timeline.sampled ?? 0), 0);
    expect(await count('chart-timeline-flash-sale', '.mark-symbol.role-mark path')).toBe(points);
    // No chart was scaled down to fit: the page is laid out for its widest chart.
    const scaled = await page.$$eval(
      'figure .chart > svg',
      (nodes) =>
        nodes.filter((svg) => svg.getBoundingClientRect().width < Number(svg.getAttribute('width')) - 1)
          .length,
    );
    expect(scaled).toBe(0);

    // Unsafe cells: red, and saying so.
    const naive = page.locator('table.matrix tr', { hasText: 'naive' }).locator('td.cell');
    expect(await naive.count()).toBe(2);
    for (const cell of await naive.all()) {
      expect(await cell.textContent()).toContain('UNSAFE');
      expect(await cell.evaluate((td) => getComputedStyle(td).backgroundColor)).toBe('rgb(253, 236, 234)');
      expect(await cell.locator('.badge').evaluate((b) => getComputedStyle(b).backgroundColor)).toBe(
        'rgb(198, 40, 40)',
      );
    }
    const safeBadge = page
      .locator('table.matrix tr', { hasText: 'update-returning' })
      .locator('.badge')
      .first();
    expect(await safeBadge.textContent()).toBe('✓ SAFE');
    expect(await page.locator('table.details:not(.pick)').count()).toBe(3);
    // "Which one should I pick?": a ranked table for each of the four situations, naive never in one.
    expect(await page.locator('#pick table.pick').count()).toBe(4);
    expect(await page.locator('#pick table.pick', { hasText: 'naive' }).count()).toBe(0);
    expect(await page.locator('#pick ul.unsafe-here li', { hasText: 'naive' }).count()).toBe(2);
    expect(await page.locator('#k6 tbody tr').count()).toBe(2);

    // Nothing hides past the right edge of the page.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);

    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    await context.close();
  });

  it('forbids loading anything through its Content-Security-Policy, and holds no script', async () => {
    const text = await readFile(html, 'utf8');
    expect(text).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    expect(text).not.toMatch(/<script|<link|@import|@font-face|src="http/i);
  });
});
