/**
 * summary.md: a compact summary for a pull-request comment or $GITHUB_STEP_SUMMARY. Tables only
 * where a reader compares rows (faults, expectations); the rest is one line each. Status words,
 * not emoji, and every cell escaped so an error text cannot break the table or inject HTML.
 */

import type { Analysis } from '../harness/analyze/types.ts';
import { clockText, clockWarnings, timingText } from './clock.ts';
import { escapeMarkdownCell as cell } from './escape.ts';
import { faultFacts, verdictLine } from './facts.ts';
import {
  formatAmplification,
  formatBytes,
  formatCount,
  formatMs,
  formatPercentile,
  VERDICT_WORDS,
} from './format.ts';
import { mirrorTimingLines } from './mirror-timing.ts';
import { mirrorLines } from './mirrors.ts';
import { scrubSummary } from './scrub.ts';
import { expectationMark } from './status.ts';

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)];
}

function faultTable(a: Analysis): string[] {
  if (a.faults.length === 0) return ['No faults were injected.'];
  const header = [
    'fault',
    'window',
    'detected in (first / median)',
    'classified as',
    'recovered in',
    'backoff at clear',
  ];
  const rows = a.faults.map((fault) => {
    const f = faultFacts(fault, a);
    const detected = fault.detection ? `${f.detectedFirst} / ${f.detectedMedian}` : f.detectedFirst;
    return [f.label, f.window, detected, f.classifiedAs, f.recovered, f.backoffAtClear].map(cell);
  });
  return table(header, rows);
}

function expectationTable(a: Analysis): string[] {
  if (a.expectations.length === 0) return ['No expectations: the verdict is the run’s own health.'];
  const rows = a.expectations.map((e) => [
    expectationMark(e),
    cell(e.description),
    cell(e.expected),
    cell(e.actual),
  ]);
  return table(['', 'expectation', 'expected', 'actual'], rows);
}

function loadLines(a: Analysis): string[] {
  const { latency, attempts, failed } = a.pulls;
  const r = a.registry;
  const lines = [
    `**Pull latency** p50 ${formatPercentile(latency.p50)} · p95 ${formatPercentile(latency.p95)} · p99 ${formatPercentile(latency.p99)} · max ${formatPercentile(latency.max)} (${formatCount(latency.count)} pulls; ${formatCount(attempts)} attempts, ${formatCount(failed)} failed)`,
    `**429s** ${formatCount(r.tooManyRequests)} of ${formatCount(r.requests)} registry requests`,
    `**Origin amplification** ${formatAmplification(r.amplification)} (${formatBytes(r.originBlobBytes)} origin blob bytes / ${formatBytes(r.uniqueBlobBytes)} unique)`,
  ];
  lines.push(...mirrorLines(a), ...mirrorTimingLines(a));
  if (a.drift.detected) {
    const drifting = a.drift.tags.filter((t) => t.drift).map((t) => `\`${t.reference}\``);
    lines.push(`**Digest drift** nodes run different digests for ${drifting.join(', ')}`);
  }
  if (a.failures.length > 0) {
    const causes = a.failures.map((g) => `${cell(g.cause)} ${formatCount(g.count)}`);
    lines.push(`**Failures** ${causes.join(' · ')}`);
  }
  // Two trailing spaces would be invisible; a blank line between keeps each on its own line.
  return lines.flatMap((l, i) => (i === 0 ? [l] : ['', l]));
}

/** summary.md for one run. */
export function renderMarkdown(analysis: Analysis): string {
  const a = scrubSummary(analysis);
  const run = a.run;
  const meta = [
    `run \`${run.id}\``,
    `backend ${cell(run.backend)}`,
    `${formatMs(run.durationMs)}`,
    clockText(a),
  ];
  const timing = timingText(a);
  const out = [
    `### pullstorm: ${cell(run.scenario)} — ${VERDICT_WORDS[a.verdict]}`,
    '',
    `**${cell(verdictLine(a))}** · ${meta.join(' · ')}`,
    ...(timing === undefined ? [] : ['', `_${cell(timing)}_`]),
    ...clockWarnings(a).flatMap((w) => ['', `> **${cell(w)}**`]),
    '',
    ...faultTable(a),
    '',
    ...expectationTable(a),
    '',
    ...loadLines(a),
  ];
  return `${out.join('\n')}\n`;
}
