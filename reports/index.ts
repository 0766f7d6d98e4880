/**
 * Report renderers: pure functions from an `Analysis` to the text of report.json, junit.xml,
 * summary.md and report.html, a terminal summary, and `writeReports` to put them on disk.
 */
export { clockText, clockWarnings, timingText } from './clock.ts';
export { clean, escapeHtml, escapeMarkdownCell, escapeXml } from './escape.ts';
export { type FaultFacts, faultFacts, verdictLine } from './facts.ts';
export { renderHtml } from './html/page.ts';
export { REPORT_SCHEMA_VERSION, type ReportDocument, renderJson, reportDocument } from './json.ts';
export { renderJunit, renderJunitSuites } from './junit.ts';
export { renderMarkdown } from './markdown.ts';
export type { RenderOptions } from './options.ts';
export { RENDERERS, REPORT_FORMATS, type Renderer, type ReportFormat, renderAll } from './renderers.ts';
export { REDACTED, scrubDeep, scrubText } from './scrub.ts';
export { formatTerminalSummary, type ReportPathList } from './terminal.ts';
export { DEFAULT_GENERATOR, PULLSTORM_VERSION } from './version.ts';
export { type ReportPaths, writeReports } from './write.ts';
