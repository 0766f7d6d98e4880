/**
 * Writes every report of a run into one directory. The only module of reports/ with Node APIs
 * (Deno runs it through its `node:` compatibility); renderers stay pure strings.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Analysis } from '../harness/analyze/types.ts';
import type { RenderOptions } from './options.ts';
import { REPORT_FORMATS, type ReportFormat, renderAll } from './renderers.ts';

/** Path of each written report, by format. */
export type ReportPaths = Record<ReportFormat, string>;

/** Renders every format and writes it under `dir` (created if missing); returns the paths written. */
export async function writeReports(
  dir: string,
  analysis: Analysis,
  options: RenderOptions = {},
): Promise<ReportPaths> {
  await mkdir(dir, { recursive: true });
  const rendered = renderAll(analysis, options);
  const paths = {} as ReportPaths;
  // Sequential on purpose: four small files, and a failure names the one that failed.
  for (const format of REPORT_FORMATS) {
    const path = join(dir, rendered[format].file);
    await writeFile(path, rendered[format].text, 'utf8');
    paths[format] = path;
  }
  return paths;
}
