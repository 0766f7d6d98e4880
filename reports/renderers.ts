/**
 * Every report format, keyed by name: its file name and its pure renderer. A keyed record, so a
 * new format added to `REPORT_FORMATS` does not compile until it has a file and a renderer.
 */
import type { Analysis } from '../harness/analyze/types.ts';
import { renderHtml } from './html/page.ts';
import { renderJson } from './json.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';
import type { RenderOptions } from './options.ts';

/** Report formats, in the order they are written and listed. */
export const REPORT_FORMATS = ['json', 'junit', 'markdown', 'html'] as const;

/** One report format. */
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** A pure renderer: the analysis in, the file's text out. */
export type Renderer = (analysis: Analysis, options?: RenderOptions) => string;

/** File name and renderer of each format. */
export const RENDERERS: Readonly<Record<ReportFormat, { file: string; render: Renderer }>> = {
  json: { file: 'report.json', render: renderJson },
  junit: { file: 'junit.xml', render: renderJunit },
  markdown: { file: 'summary.md', render: renderMarkdown },
  html: { file: 'report.html', render: renderHtml },
};

/** Every report's file name and text, rendered in memory. */
export function renderAll(
  analysis: Analysis,
  options: RenderOptions = {},
): Record<ReportFormat, { file: string; text: string }> {
  const out = {} as Record<ReportFormat, { file: string; text: string }>;
  for (const format of REPORT_FORMATS) {
    const { file, render } = RENDERERS[format];
    out[format] = { file, text: render(analysis, options) };
  }
  return out;
}
