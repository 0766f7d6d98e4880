/**
 * Which unit test files start something (the rule of vitest.config.ts); see test-kinds.test.ts.
 */
import { cruise, type ICruiseResult } from 'dependency-cruiser';

/** What only an integration test may reach: processes, Docker, a containerd daemon. */
export const STARTS_SOMETHING: readonly RegExp[] = [
  /^execa$/,
  /^(node:)?child_process$/,
  /^zx$/,
  /^testcontainers$/,
  /^harness\/backends\/containerd\/(index|node)\.ts$/,
  /^harness\/containers\/(index|docker)\.ts$/,
  /^harness\/mirrors\/(process|start)\.ts$/,
];

/** Unit test files whose own imports, or their test helpers' imports, start something. */
export async function unitTestsThatStartSomething(): Promise<Map<string, string[]>> {
  const result = (
    await cruise(['test'], {
      tsPreCompilationDeps: false,
      doNotFollow: {
        path: ['node_modules', '^harness', '^registry-stubs', '^reports', '^vocab', '^scripts'],
      },
    })
  ).output as ICruiseResult;
  const modules = new Map(result.modules.map((m) => [m.source, m]));
  const offenders = new Map<string, string[]>();
  for (const m of result.modules) {
    if (!/\.test\.ts$/.test(m.source) || /\.integration\.test\.ts$/.test(m.source)) continue;
    const seen = new Set<string>([m.source]);
    const queue = [m.source];
    const hits: string[] = [];
    while (queue.length > 0) {
      const current = modules.get(queue.shift()!);
      for (const d of current?.dependencies ?? []) {
        // An npm package by its name (`execa`), a core module by its name, a file by its path.
        const target =
          d.resolved.startsWith('test/') || d.resolved.startsWith('harness/') ? d.resolved : d.module;
        if (STARTS_SOMETHING.some((p) => p.test(target))) hits.push(`${current!.source} → ${target}`);
        // Follow test helpers only: what the harness imports is its business, not the test's.
        if (d.resolved.startsWith('test/') && !seen.has(d.resolved)) {
          seen.add(d.resolved);
          queue.push(d.resolved);
        }
      }
    }
    if (hits.length > 0) offenders.set(m.source, hits);
  }
  return offenders;
}
