/**
 * The errors a library caller may catch, each with the exit code the CLI turns it into (`EXIT`):
 * 2 for bad input (`UsageError`, `ScenarioError`; their `exitCode`), 3 for a machine that cannot run
 * the scenario (`EnvironmentError`; its `exitCode`), 130 for an interrupted run (`Interrupted` has no
 * `exitCode` of its own yet: it is `EXIT.interrupted`). An expectation that fails is a
 * result (`verdict: 'fail'`, exit 1), never an error.
 */
import { EXIT as CLI_EXIT, UsageError } from '../harness/cli/exit.ts';
import { EnvironmentError } from '../harness/run/preflight.ts';
import { EXIT_INTERRUPTED, Interrupted } from '../harness/run/signals.ts';
import { ScenarioError } from '../harness/scenario/problem.ts';

/** The exit-code contract of every pullstorm command and of `RunResult.exitCode`. */
export const EXIT = { ...CLI_EXIT, interrupted: EXIT_INTERRUPTED } as const;

export { EnvironmentError, Interrupted, ScenarioError, UsageError };
