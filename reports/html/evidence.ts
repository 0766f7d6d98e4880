/**
 * Evidence per failing pod, like `kubectl describe pod`: its events, the exact pull error, its
 * state history and whatever else the analysis recorded. Collapsed by default; capped so a storm
 * of failing pods does not make a report nobody can open (report.json has them all).
 */
import type { Analysis, FailureGroup, PodTimeline } from '../../harness/analyze/types.ts';
import { escapeHtml } from '../escape.ts';
import { formatCount, formatMs, formatOffset } from '../format.ts';
import { code, details, pre, raw, table } from './markup.ts';

/** Pods that failed at some point (a pull error, or not running at the end); still-failing first. */
export function failingPods(a: Analysis): PodTimeline[] {
  const stuck = (p: PodTimeline) => p.final.phase !== 'Running' && p.final.phase !== 'Succeeded';
  const failed = a.pods.filter((p) => stuck(p) || p.lastError !== undefined);
  return [...failed.filter(stuck), ...failed.filter((p) => !stuck(p))];
}

function eventsTable(pod: PodTimeline, startMs: number): string {
  if (pod.events.length === 0) return '<p>No events recorded.</p>';
  const rows = pod.events.map((e) => {
    const first = Date.parse(e.firstTimestamp) - startMs;
    const last = Date.parse(e.lastTimestamp) - startMs;
    // kubectl's "(x3 over 40s)" for events kubelet aggregated.
    const at =
      e.count > 1
        ? `${formatOffset(last)} (x${e.count} over ${formatMs(last - first)})`
        : formatOffset(first);
    const from = e.source.host ? `${e.source.component}, ${e.source.host}` : e.source.component;
    return [
      raw(`<span class="${e.type === 'Warning' ? 'warn' : ''}">${e.type}</span>`),
      e.reason,
      at,
      from,
      raw(`<span class="msg">${escapeHtml(e.message)}</span>`),
    ];
  });
  return table(['Type', 'Reason', 'At', 'From', 'Message'], rows, {
    className: 'events',
    caption: 'Events (offsets from the run start)',
  });
}

function statesTable(pod: PodTimeline): string {
  const rows = pod.states.map((s) => [formatOffset(s.atMs), s.phase, s.reason ?? '', s.message ?? '']);
  return table(['At', 'Phase', 'Reason', 'Message'], rows, { caption: 'State history' });
}

function podEvidence(pod: PodTimeline, groups: readonly FailureGroup[], startMs: number): string {
  const final = pod.final.reason ? `${pod.final.phase} (${pod.final.reason})` : pod.final.phase;
  const causes = groups
    .map((g) => `<a href="#cause-${escapeHtml(g.cause)}">${escapeHtml(g.title)}</a>`)
    .join(', ');
  const facts: [string, string][] = [
    ['image', code(pod.image)],
    ['node', code(pod.node)],
    ['final state', escapeHtml(final)],
    ...(pod.digest ? ([['digest', code(pod.digest)]] as [string, string][]) : []),
    ...(causes ? ([['classified as', causes]] as [string, string][]) : []),
  ];
  const dl = `<dl class="facts">${facts.map(([k, v]) => `<div><dt>${k}</dt><dd>${v}</dd></div>`).join('')}</dl>`;
  const error = pod.lastError
    ? `<p><strong>Last pull error, exactly as kubelet showed it</strong></p>${pre(pod.lastError)}`
    : '';
  const summary = `${code(pod.pod)} <span class="muted">on ${escapeHtml(pod.node)}</span> — <span class="${pod.final.phase === 'Running' ? 'ok' : 'bad'}">${escapeHtml(final)}</span>`;
  return details(
    summary,
    `<div class="evidence-body">${dl}${error}${eventsTable(pod, startMs)}${statesTable(pod)}</div>`,
  );
}

/** The evidence section: one collapsible block per failing pod, at most `max`. */
export function evidenceSection(a: Analysis, max: number): string {
  const pods = failingPods(a);
  if (pods.length === 0) return '';
  const startMs = Date.parse(a.run.startedAt);
  const groupsOf = new Map<string, FailureGroup[]>();
  for (const g of a.failures) for (const p of g.pods) groupsOf.set(p, [...(groupsOf.get(p) ?? []), g]);
  const blocks = pods.slice(0, max).map((p) => podEvidence(p, groupsOf.get(p.pod) ?? [], startMs));
  const more =
    pods.length > max
      ? `<p class="note">${formatCount(pods.length - max)} more failing pods; report.json has every pod’s events.</p>`
      : '';
  return `<section id="evidence"><h2>Evidence per failing pod (${formatCount(pods.length)})</h2>${blocks.join('\n')}${more}</section>`;
}
