/**
 * Analysis of a run: the event log on disk (`EventLog`, `readEventLog`, redaction) and `analyze`,
 * the pure function from its events to the `Analysis` every report renders.
 */

export type {
  LogEvent,
  RunFinished,
  RunLevelEvent,
  RunPhase,
  RunStarted,
  RunTiming,
} from '../events/run-events.ts';
export { type AnalyzeOptions, analyze } from './analyze.ts';
export { DEFAULT_EXPECTED_CAUSES, defaultExpectedCauses } from './expected-causes.ts';
export {
  EventLog,
  EventLogError,
  type EventLogOptions,
  type LogSink,
  type ParseOptions,
  parseEventLog,
  readEventLog,
} from './log.ts';
export { median, nearestRank, percentiles } from './percentiles.ts';
export { backoffSteps } from './recovery.ts';
export { isSecretKey, REDACTED, redact, secretValues } from './redact.ts';
export { human, span } from './time.ts';
export * from './types.ts';
