/**
 * The causes a client should show for each fault — what "detected" means for it. The fault
 * catalogue (registry-stubs/faults) is the one authority; a fault that should produce no error at
 * all (a tag overwrite, added latency) expects no cause: it is seen by its effect (digest drift,
 * pull latency), never by an error.
 */
import { expectedCausesByFault } from '../../registry-stubs/faults/catalogue.ts';

/** Expected causes by catalogue fault name. */
export const DEFAULT_EXPECTED_CAUSES: Readonly<Record<string, readonly string[]>> = expectedCausesByFault();

/** The catalogue's causes for `fault`; a name outside the catalogue expects none. */
export function defaultExpectedCauses(fault: string): string[] {
  return [...(DEFAULT_EXPECTED_CAUSES[fault] ?? [])];
}
