/**
 * The labels on everything pullstorm creates in Docker. Ryuk is off (see docker.ts), so these labels are
 * the only way `pullstorm clean` finds what a killed run left behind.
 */

/** Present on every pullstorm container and image; value `true`. */
export const LABEL_PULLSTORM = 'pullstorm';
/** The run that created a container; `pullstorm clean --run <id>` removes by it. */
export const LABEL_RUN_ID = 'pullstorm.run-id';
/** What a container or image is for, e.g. `registry-stub`. */
export const LABEL_COMPONENT = 'pullstorm.component';

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

/** Checks a run id is usable as a label value and in names; throws TypeError otherwise. */
export function assertRunId(runId: string): void {
  if (typeof runId !== 'string' || !RUN_ID.test(runId)) {
    throw new TypeError(
      `runId: expected 1-128 characters of letters, digits, '_', '.', '-' (starting with a letter or digit), got ${JSON.stringify(runId)}`,
    );
  }
}

/** The labels of a container created by run `runId` for `component`. */
export function runLabels(runId: string, component: string): Record<string, string> {
  assertRunId(runId);
  return { [LABEL_PULLSTORM]: 'true', [LABEL_RUN_ID]: runId, [LABEL_COMPONENT]: component };
}
