/**
 * The errors a library caller may catch, each carrying the exit code the CLI turns it into (`EXIT`,
 * the one table in `vocab/errors.ts`): 2 for bad input (`UsageError`, `ScenarioError`), 3 for a
 * machine that cannot run the scenario (`EnvironmentError`), 130 for an interrupted run
 * (`Interrupted`). Every one extends `PullstormError` and has its `exitCode`. An expectation that
 * fails is a result (`verdict: 'fail'`, exit 1), never an error.
 */

import { EnvironmentError } from '../harness/run/preflight.ts';
import { Interrupted } from '../harness/run/signals.ts';
import { EXIT, PullstormError, UsageError } from '../vocab/errors.ts';
import { ScenarioError } from '../vocab/problem.ts';

export { EnvironmentError, EXIT, Interrupted, PullstormError, ScenarioError, UsageError };
