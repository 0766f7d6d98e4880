/** The mirror table of report.html: what each mirror did against the origin. */
import type { Analysis } from '../../harness/analyze/types.ts';
import { mirrorRows } from '../mirrors.ts';
import { table } from './markup.ts';

/** A table of the mirrors' measures; empty without mirrors. */
export function mirrorsTable(a: Analysis): string {
  if (!a.mirrors?.length) return '';
  const { header, rows } = mirrorRows(a);
  return table(header, rows, {
    caption: 'Mirrors: origin blob fetches made through each mirror, and what it answered',
    numeric: [2, 3, 4, 5, 6, 7],
  });
}
