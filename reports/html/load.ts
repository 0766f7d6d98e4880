/** Pull and registry numbers, and the failure groups with their cause and remediation. */
import type { Analysis } from '../../harness/analyze/types.ts';
import { escapeHtml } from '../escape.ts';
import { formatAmplification, formatBytes, formatCount, formatPercentile } from '../format.ts';
import { code, details, names, pre, raw, table } from './markup.ts';

/** Pull counts and latency percentiles. */
export function pullsTable(a: Analysis): string {
  const { attempts, succeeded, failed, latency: l } = a.pulls;
  return table(
    ['attempts', 'succeeded', 'failed', 'p50', 'p90', 'p95', 'p99', 'max'],
    [
      [attempts, succeeded, failed, l.p50, l.p90, l.p95, l.p99, l.max].map((v, i) =>
        i < 3 ? formatCount(v ?? 0) : formatPercentile(v),
      ),
    ],
    { caption: 'Image pulls; latency is Pulling → Pulled per pod', numeric: [0, 1, 2, 3, 4, 5, 6, 7] },
  );
}

function counts(record: Record<string, number>, label: string): string {
  const rows = Object.entries(record)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([k, v]) => [raw(code(k)), formatCount(v)]);
  return table([label, 'requests'], rows, { numeric: [1] });
}

/** Registry totals, by route and status, and the busiest clients. */
export function registrySection(a: Analysis, maxClients = 20): string {
  const r = a.registry;
  const totals = table(
    ['requests', '429s', 'bytes served', 'origin blob bytes', 'unique blob bytes', 'amplification'],
    [
      [
        formatCount(r.requests),
        formatCount(r.tooManyRequests),
        formatBytes(r.bytesServed),
        formatBytes(r.originBlobBytes),
        formatBytes(r.uniqueBlobBytes),
        formatAmplification(r.amplification),
      ],
    ],
    { caption: 'Registry load as the stub saw it', numeric: [0, 1, 2, 3, 4, 5] },
  );
  const clients = Object.entries(r.byClient).sort(
    ([a, x], [b, y]) => y.requests - x.requests || a.localeCompare(b),
  );
  const clientRows = clients
    .slice(0, maxClients)
    .map(([c, v]) => [
      raw(code(c)),
      formatCount(v.requests),
      formatBytes(v.bytes),
      formatCount(v.tooManyRequests),
    ]);
  const more =
    clients.length > maxClients
      ? `<p class="note">${formatCount(clients.length - maxClients)} more clients in report.json.</p>`
      : '';
  const breakdown = `<div class="columns">${counts(r.byRoute, 'route')}${counts(r.byStatus, 'status')}</div>`;
  const byClient =
    clients.length > 0
      ? details(
          `Busiest clients (${formatCount(clients.length)})`,
          table(['client', 'requests', 'bytes', '429s'], clientRows, { numeric: [1, 2, 3] }) + more,
        )
      : '';
  return `${totals}${details('Requests by route and status', breakdown)}${byClient}`;
}

/** Each failure group: its cause, how many, which pods, the remediation and one example. */
export function failuresSection(a: Analysis): string {
  if (a.failures.length === 0)
    return '<section id="failures"><h2>Failures</h2><p>No pull failed.</p></section>';
  const groups = a.failures.map(
    (g) => `<article class="failure" id="cause-${escapeHtml(g.cause)}">
<h3>${escapeHtml(g.title)} <span class="cause">${code(g.cause)}</span> <span class="count">${formatCount(g.count)} failures, ${formatCount(g.pods.length)} pods</span></h3>
<p class="remediation"><strong>Remediation.</strong> ${escapeHtml(g.remediation)}</p>
<p><strong>Example</strong></p>${pre(g.example)}
${g.evidence.length > 0 ? `<p><strong>Evidence</strong></p><ul class="evidence">${g.evidence.map((e) => `<li>${escapeHtml(e)}</li>`).join('')}</ul>` : ''}
<p class="pods">Pods: ${names(g.pods)}</p>
</article>`,
  );
  return `<section id="failures"><h2>Failures by cause</h2>${groups.join('\n')}</section>`;
}
