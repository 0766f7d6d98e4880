/** Writes `pullstorm run --metrics FILE`: the suite's results as OpenMetrics text (openmetrics.ts). */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Analysis } from '../harness/analyze/types.ts';
import { renderOpenMetrics } from './openmetrics.ts';

/** Writes the OpenMetrics text of `entries` to `file`, creating its directory. */
export async function writeRunMetrics(
  file: string,
  entries: readonly { scenario: string; exitCode: number; result?: { analysis: Analysis } }[],
): Promise<void> {
  const text = await renderOpenMetrics(
    entries.map((e) => ({
      scenario: e.scenario,
      exitCode: e.exitCode,
      ...(e.result !== undefined && { analysis: e.result.analysis }),
    })),
  );
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text);
}
