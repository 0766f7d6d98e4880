import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../reports/index.ts';
import { CASES } from './cases.ts';
import { hasChromium, openPage } from './chromium.ts';
import { stormRun } from './storm-fixture.ts';

const artifacts = fileURLToPath(new URL('../../test-artifacts/reports/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'pullstorm-html-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, html: string): string {
  const file = join(dir, `${name}.html`);
  writeFileSync(file, html);
  return pathToFileURL(file).href;
}

describe('report.html is self-contained', () => {
  for (const [name, build] of Object.entries(CASES)) {
    it(`${name}: no external resource, script source, font or stylesheet`, () => {
      const html = renderHtml(build());
      expect(html).not.toMatch(/<(script|img|link|iframe)[^>]+(src|href)=/i);
      expect(html).not.toMatch(/@import|@font-face|url\(/i);
      expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)[^"<\s]*"/);
    });
  }
});

interface ChartInfo {
  id: string;
  title: string;
  shapes: number;
}

const chartsInPage = `[...document.querySelectorAll('svg.chart')].map((s) => ({ id: s.id, title: s.querySelector('title')?.textContent ?? '', shapes: s.querySelectorAll('rect, path').length }))`;

describe.skipIf(!hasChromium)(
  'report.html in headless chromium (/usr/bin/chromium; apt-get install chromium)',
  () => {
    mkdirSync(artifacts, { recursive: true });

    for (const [name, build] of Object.entries(CASES)) {
      it(`${name}: renders its charts with no console error`, async () => {
        const page = await openPage(write(name, renderHtml(build())));
        try {
          expect(page.issues).toEqual([]);
          const charts = await page.evaluate<ChartInfo[]>(chartsInPage);
          const ids = charts.map((c) => c.id);
          expect(ids).toEqual(
            expect.arrayContaining(['chart-pods', 'chart-latency', 'chart-requests', 'chart-bytes']),
          );
          for (const c of charts) {
            expect(c.title, `${c.id} has a title`).not.toBe('');
            expect(c.shapes, `${c.id} draws something`).toBeGreaterThan(0);
          }
          expect(
            await page.evaluate<number>(`document.querySelectorAll('th[scope=col]').length`),
          ).toBeGreaterThan(10);
          writeFileSync(join(artifacts, `${name}.png`), await page.screenshot());
        } finally {
          await page.close();
        }
      });
    }

    it('opens failure evidence in <details>', async () => {
      const page = await openPage(write('evidence', renderHtml(CASES.failing!())));
      try {
        const count = await page.evaluate<number>(`document.querySelectorAll('#evidence details').length`);
        expect(count).toBe(12);
        const errors = await page.evaluate<string[]>(
          `[...document.querySelectorAll('#evidence pre')].map((p) => p.textContent)`,
        );
        expect(errors.filter((e) => e.endsWith('429 Too Many Requests'))).toHaveLength(8);
        expect(errors.filter((e) => e.endsWith('connection reset by peer'))).toHaveLength(4);
      } finally {
        await page.close();
      }
    });

    // Speed targets belong in benchmarks; this records the number and only guards against the absurd.
    it('a 10,000-pod storm stays under 5 MB and opens in seconds', async () => {
      const html = renderHtml(stormRun());
      const bytes = new TextEncoder().encode(html).length;
      expect(bytes).toBeLessThan(5 * 1024 * 1024);
      const page = await openPage(write('storm', html));
      try {
        expect(page.issues).toEqual([]);
        const charts = await page.evaluate<ChartInfo[]>(chartsInPage);
        expect(charts.map((c) => c.id)).toContain('chart-storm');
        expect(charts.every((c) => c.shapes > 0)).toBe(true);
        writeFileSync(join(artifacts, 'storm.png'), await page.screenshot());
        writeFileSync(
          join(artifacts, 'storm-render.json'),
          `${JSON.stringify({ pods: 10_000, bytes, renderMs: Math.round(page.renderMs) })}\n`,
        );
        console.log(
          `storm report.html: ${(bytes / 1024).toFixed(0)} KiB, opened and rendered in ${Math.round(page.renderMs)} ms`,
        );
        expect(page.renderMs).toBeLessThan(10_000);
      } finally {
        await page.close();
      }
    });
  },
);
