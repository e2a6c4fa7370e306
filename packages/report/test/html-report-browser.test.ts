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
          texts: [...svg.querySelectorAll('text')].map((t) => t.textContent ?? ''),
        };
      }),
    );
    expect(svgs.map((svg) => svg.id)).toEqual(charts.map((chart) => `chart-${chart.id}`));
    expect(await page.locator('svg').count()).toBe(charts.length);
    for (const svg of svgs) {
      expect(svg.width).toBeGreaterThan(500);
      expect(svg.height).toBeGreaterThan(150);
      expect(svg.marks).toBeGreaterThan(40);
      // Each chart names both scenarios in its panel headers and marks the unsafe cells in words.
      expect(svg.texts).toEqual(expect.arrayContaining(['withdraw-storm', 'flash-sale']));
      expect(svg.texts.some((text) => text.includes('✗ UNSAFE'))).toBe(true);
    }
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
    expect(await page.locator('table.details').count()).toBe(3);
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
