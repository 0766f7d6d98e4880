/** The report's top: what ran, the verdict, the expectations and what each fault did. */
import type { Analysis, ExpectationResult } from '../../harness/analyze/types.ts';
import { clockText, clockWarnings, timingText } from '../clock.ts';
import { escapeHtml } from '../escape.ts';
import { faultFacts, verdictLine } from '../facts.ts';
import { formatCount, formatMs, VERDICT_WORDS } from '../format.ts';
import { expectationMark, expectationStatus } from '../status.ts';
import { code, details, names, raw, table } from './markup.ts';

/** ok, bad, or muted for an expectation a stopped run never judged. */
function statusClass(e: ExpectationResult): string {
  const status = expectationStatus(e);
  return status === 'passed' ? 'ok' : status === 'failed' ? 'bad' : 'muted';
}

/** Title, verdict and run metadata. */
export function header(a: Analysis, generator: string): string {
  const r = a.run;
  const timing = timingText(a);
  const meta: [string, string][] = [
    ['run', code(r.id)],
    ['backend', escapeHtml(r.backend)],
    ['started', escapeHtml(r.startedAt)],
    ['finished', escapeHtml(r.finishedAt ?? 'did not finish')],
    ['duration', escapeHtml(formatMs(r.durationMs))],
    ['clock', escapeHtml(clockText(a).replace(/^clock /, ''))],
    ...(timing === undefined ? [] : [['timing', escapeHtml(timing)] as [string, string]]),
    ['outcome', escapeHtml(r.outcome)],
    ['generator', escapeHtml(generator)],
  ];
  const dl = meta.map(([k, v]) => `<div><dt>${k}</dt><dd>${v}</dd></div>`).join('');
  const env = Object.entries(r.environment);
  return [
    `<header><p class="kicker">pullstorm report</p><h1>${escapeHtml(r.scenario)}</h1>`,
    r.description ? `<p class="lead">${escapeHtml(r.description)}</p>` : '',
    `<p class="verdict verdict-${a.verdict}"><strong>${VERDICT_WORDS[a.verdict]}</strong> ${escapeHtml(verdictLine(a).replace(/^\w+:?\s*/, ''))}</p>`,
    r.error ? `<p class="error-text">Harness error: ${escapeHtml(r.error)}</p>` : '',
    `<dl class="meta">${dl}</dl>`,
    ...clockWarnings(a).map((w) => `<p class="error-text">${escapeHtml(w)}</p>`),
    env.length > 0 ? details('Environment', table(['name', 'value'], env)) : '',
    '</header>',
  ].join('\n');
}

/** One row per expectation, passed or failed. */
export function expectationsSection(a: Analysis): string {
  const body =
    a.expectations.length === 0
      ? '<p>No expectations: the verdict is the run’s own health.</p>'
      : table(
          ['', 'expectation', 'expected', 'actual'],
          a.expectations.map((e) => [
            // The mark is for the eye; screen readers get the word.
            raw(
              `<span class="${statusClass(e)}" aria-hidden="true">${expectationMark(e)}</span><span class="sr-only">${expectationStatus(e)}</span>`,
            ),
            e.description,
            e.expected,
            e.actual,
          ]),
          { caption: 'Scenario expectations (SLOs) and their outcome' },
        );
  return `<section id="expectations"><h2>Expectations</h2>${body}</section>`;
}

/** One row per fault: window, detection, classification, recovery and the backoff that bounds it. */
export function faultsSection(a: Analysis): string {
  if (a.faults.length === 0)
    return '<section id="faults"><h2>Faults</h2><p>No faults were injected.</p></section>';
  const rows = a.faults.map((f) => {
    const facts = faultFacts(f, a);
    const lines = (pairs: [string, string][]) =>
      raw(pairs.map(([k, v]) => `<span class="muted">${k}</span> ${escapeHtml(v)}`).join('<br>'));
    // A fault meant to be tolerated: its tolerance, not a red "not detected".
    const tolerated = f.tolerance && (f.tolerance.failedPods.length === 0 ? 'ok' : 'bad');
    const detected = tolerated
      ? raw(`<span class="${tolerated}">${escapeHtml(facts.detectedFirst)}</span>`)
      : f.detection
        ? lines([
            ['first', facts.detectedFirst],
            ['median', facts.detectedMedian],
            ['last', facts.detectedLast],
          ])
        : raw(facts.detectable ? '<span class="bad">not detected</span>' : escapeHtml(facts.detectedFirst));
    const expected = f.expectedCauses.map(code).join(', ') || 'none';
    return [
      facts.label,
      facts.window,
      formatCount(f.affectedPods.length),
      detected,
      raw(`${escapeHtml(facts.classifiedAs)}<br><span class="muted">expected</span> ${expected}`),
      raw(
        f.recovery || !facts.detectable || tolerated
          ? escapeHtml(facts.recovered)
          : `<span class="bad">${escapeHtml(facts.recovered)}</span>`,
      ),
      facts.backoffAtClear,
    ];
  });
  const header = [
    'fault',
    'window',
    'affected pods',
    'detected',
    'classified as',
    'recovered in',
    'kubelet backoff at clear',
  ];
  const affected = a.faults
    .filter((f) => f.affectedPods.length > 0)
    .map((f) => `<p><strong>${escapeHtml(f.id)}</strong>: ${names(f.affectedPods)}</p>`)
    .join('');
  const note =
    '<p class="note">Detection: fault start → first pod event classified as an expected cause. Recovery: fault end → every affected pod running; in a real cluster kubelet’s image-pull backoff (10 s doubling to 300 s) bounds it, shown as the backoff pods still had to wait when the fault cleared.</p>';
  return `<section id="faults"><h2>Faults</h2>${table(header, rows, { caption: 'Each fault of the timeline and how it was seen', numeric: [2] })}${note}${affected ? details('Affected pods', affected) : ''}</section>`;
}
