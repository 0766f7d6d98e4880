/**
 * Whether this machine can start real containerd nodes (root, containerd, runc), asked the way the
 * runner's preflight asks, so suites that need containerd skip with the reason where it is absent,
 * as the Docker ones do: `describe.skipIf(!containerd.available)(`title${skipNote(containerd)}`, …)`.
 */
import { containerdMissing } from '../../harness/run/preflight.ts';

export type ContainerdStatus = { available: true } | { available: false; reason: string };

export async function containerdStatus(): Promise<ContainerdStatus> {
  const missing = await containerdMissing();
  return missing.length === 0 ? { available: true } : { available: false, reason: missing.join('; ') };
}

/** ` (skipped: <reason>)` for a suite title, or nothing when containerd is there. */
export function skipNote(status: ContainerdStatus): string {
  return status.available ? '' : ` (skipped: ${status.reason})`;
}
