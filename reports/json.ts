/**
 * report.json: the analysis as a versioned document, for tools (jq, dashboards, regression
 * diffs). Flat on purpose, `jq .verdict` rather than `jq .analysis.verdict`; its JSON Schema is
 * `reports/schema/report.schema.json` and changes only with `schemaVersion`.
 */
import { ANALYSIS_SCHEMA_VERSION, type Analysis } from '../harness/analyze/types.ts';
import type { RenderOptions } from './options.ts';
import { scrubDeep } from './scrub.ts';
import { DEFAULT_GENERATOR } from './version.ts';

/** Version of report.json; equal to the analysis shape's version, which it embeds unchanged. */
export const REPORT_SCHEMA_VERSION = ANALYSIS_SCHEMA_VERSION;

/** The document in report.json: the Analysis plus who generated it. */
export type ReportDocument = Analysis & { generator: string };

/** The report document for `analysis`, secrets scrubbed. */
export function reportDocument(analysis: Analysis, options: RenderOptions = {}): ReportDocument {
  const { schemaVersion: _, ...rest } = scrubDeep(analysis);
  return { schemaVersion: REPORT_SCHEMA_VERSION, generator: options.generator ?? DEFAULT_GENERATOR, ...rest };
}

/** report.json: the report document, pretty-printed with a final newline. */
export function renderJson(analysis: Analysis, options: RenderOptions = {}): string {
  return `${JSON.stringify(reportDocument(analysis, options), null, 2)}\n`;
}
