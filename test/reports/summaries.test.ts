import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatMs } from '../../reports/format.ts';
import {
  escapeMarkdownCell,
  formatTerminalSummary,
  renderMarkdown,
  writeReports,
} from '../../reports/index.ts';
import { CASES } from './cases.ts';

describe('summary.md', () => {
  it('says the verdict in words and the durations as measured, with no "real" doubles', () => {
    const md = renderMarkdown(CASES.failing!());
    expect(md).toMatch(/^### pullstorm: rate-limit-storm — FAIL$/m);
    expect(md).toContain('| rate-limit (quota) | 10s – 1m 10s | 2.3s / 4.1s | rate-limited 24 | 18.5s |');
    expect(md).toContain('| ✗ | tls detected within 30s | ≤ 30s | not detected |');
    expect(md).not.toContain('(real ');
    expect(md).toContain('**429s** 2,400 of');
    expect(md).not.toMatch(/[\u{1F300}-\u{1FAFF}\u2705\u274C]/u);
  });

  it('keeps error texts from breaking the table', () => {
    expect(escapeMarkdownCell('a | b\n<img src=x> *c* `d`')).toBe(
      'a \\| b &lt;img src=x&gt; \\*c\\* \\`d\\`',
    );
  });
});

describe('terminal summary', () => {
  it('is a table of faults with the report paths', () => {
    const out = formatTerminalSummary(CASES.failing!(), { html: 'run/report.html' });
    const lines = out.split('\n');
    expect(lines[0]).toBe(
      'pullstorm rate-limit-storm (rate-limit-storm-20261126-190000): FAIL: 3 of 6 expectations failed',
    );
    expect(lines[1]).toBe(
      'clock warp (idle 1m 4s skipped) · event-loop delay p99 131ms, max 452ms; 3 of 240 timers late',
    );
    expect(lines[2]).toBe(
      'Warning: timers fired up to 420ms late (3 late timers, event-loop delay p99 131ms): durations may be inflated by up to that much.',
    );
    expect(lines[4]).toMatch(/^scenario\s+fault\s+detected in\s+recovered in\s+verdict$/);
    expect(out).toContain('tls-unknown-ca (tls)  not detected  not recovered  FAIL');
    expect(out).toMatch(/reports:\n {2}html {2}run\/report\.html\n$/);
  });
});

describe('durations', () => {
  it('reads like a person would write them', () => {
    expect([0, 850, 1234, 60_000, 123_000, 3_600_000, 3_660_000].map(formatMs)).toEqual([
      '0s',
      '850ms',
      '1.2s',
      '1m',
      '2m 3s',
      '1h',
      '1h 1m',
    ]);
  });
});

describe('writeReports', () => {
  it('writes every format and returns the paths', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pullstorm-reports-'));
    try {
      const paths = await writeReports(join(dir, 'nested'), CASES.drift!());
      expect(Object.keys(paths)).toEqual(['json', 'junit', 'markdown', 'html']);
      expect(paths.html).toBe(join(dir, 'nested', 'report.html'));
      expect(JSON.parse(readFileSync(paths.json, 'utf8')).verdict).toBe('fail');
      expect(readFileSync(paths.markdown, 'utf8')).toContain('**Digest drift**');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
