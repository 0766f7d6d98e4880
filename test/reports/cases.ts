/** The fixture runs every report test renders, by name, and the options that keep goldens stable. */
import type { Analysis } from '../../harness/analyze/types.ts';
import type { RenderOptions } from '../../reports/index.ts';
import { passingRun } from './fixtures.ts';
import { driftRun, errorRun, failingRun } from './fixtures-failing.ts';
import { mirrorRun } from './fixtures-mirror.ts';

/** Small fixture runs by name. */
export const CASES: Readonly<Record<string, () => Analysis>> = {
  passing: passingRun,
  failing: failingRun,
  drift: driftRun,
  error: errorRun,
  mirror: mirrorRun,
};

/** A generator that does not change with each release, so goldens do not either. */
export const GOLDEN_OPTIONS: RenderOptions = { generator: 'pullstorm 0.0.0-test' };
