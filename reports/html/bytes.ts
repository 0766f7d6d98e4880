/**
 * Chart: blob bytes the origin served against the bytes of the distinct blobs, the two numbers
 * whose ratio is origin amplification (1× is a perfect cache, N nodes without one give N×).
 */
import type { Analysis } from '../../harness/analyze/types.ts';
import { escapeHtml } from '../escape.ts';
import { formatAmplification, formatBytes } from '../format.ts';
import { figure, linear, MARGIN, n, WIDTH } from './svg.ts';

/** Two horizontal bars, origin blob bytes and unique blob bytes, with the amplification. */
export function bytesChart(a: Analysis): string {
  const r = a.registry;
  const rows = [
    { label: 'origin blob bytes', value: r.originBlobBytes, colour: '#d55e00' },
    { label: 'unique blob bytes', value: r.uniqueBlobBytes, colour: '#0072b2' },
  ];
  const height = 130;
  const max = Math.max(1, r.originBlobBytes, r.uniqueBlobBytes);
  // Leave room right of the longest bar for its value.
  const x = linear(0, max, MARGIN.left, WIDTH - MARGIN.right - 90);
  const body = rows
    .map((row, i) => {
      const y = MARGIN.top + i * 40;
      const w = Math.max(row.value > 0 ? 1 : 0, x(row.value) - x(0));
      return `<text class="pod" x="${MARGIN.left - 6}" y="${n(y + 12)}" dy="0.32em" text-anchor="end">${row.label}</text><rect x="${MARGIN.left}" y="${y}" width="${n(w)}" height="24" fill="${row.colour}"><title>${escapeHtml(`${row.label}: ${row.value} bytes`)}</title></rect><text class="value" x="${n(MARGIN.left + w + 6)}" y="${n(y + 12)}" dy="0.32em">${escapeHtml(formatBytes(row.value))}</text>`;
    })
    .join('');
  const amp = `<text class="amp" x="${MARGIN.left}" y="${MARGIN.top + 96}">origin amplification ${escapeHtml(formatAmplification(r.amplification))}</text>`;
  return figure({
    id: 'chart-bytes',
    title: `Origin bytes against unique bytes (amplification ${formatAmplification(r.amplification)})`,
    desc: `The origin served ${formatBytes(r.originBlobBytes)} of blobs whose distinct content is ${formatBytes(r.uniqueBlobBytes)}; amplification ${formatAmplification(r.amplification)}.`,
    height,
    body: body + amp,
  });
}
