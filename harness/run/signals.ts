/**
 * Turning Ctrl-C, SIGTERM and crashes into one AbortSignal, so every way a run can end goes through
 * the same teardown. The first SIGINT/SIGTERM aborts with {@link Interrupted}; a second one exits at
 * once (130) for a teardown that hangs. An uncaught exception or unhandled rejection aborts with
 * that error: the run ends as a harness error, torn down like any other.
 */

import { EXIT, type ExitCode, PullstormError } from '../../vocab/errors.ts';

/** The abort reason of a run the user interrupted (exit 130). */
export class Interrupted extends PullstormError {
  override name = 'Interrupted';
  override readonly exitCode: ExitCode = EXIT.interrupted;
  /** `SIGINT` or `SIGTERM`. */
  readonly signal: string;
  constructor(signal: string) {
    super(`interrupted by ${signal}`);
    this.signal = signal;
  }
}

/** The process-wide abort signal of a CLI run; `dispose()` removes the handlers. */
export interface RunSignal extends Disposable {
  readonly signal: AbortSignal;
}

/** Installs the handlers; `onInterrupt` is told once, e.g. to print that teardown started. */
export function runSignal(onInterrupt: (reason: Error) => void = () => {}): RunSignal {
  const controller = new AbortController();
  const stop = (reason: Error) => {
    if (controller.signal.aborted) return;
    onInterrupt(reason);
    controller.abort(reason);
  };
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted && controller.signal.reason instanceof Interrupted) {
      process.stderr.write(
        `pullstorm: ${name} again: exiting without finishing teardown; run pullstorm clean\n`,
      );
      process.exit(EXIT.interrupted);
    }
    stop(new Interrupted(name));
  };
  const onCrash = (error: unknown) => {
    const crash = error instanceof Error ? error : new Error(String(error));
    process.stderr.write(`pullstorm: crashed: ${crash.stack ?? crash.message}\n`);
    stop(crash);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  return {
    signal: controller.signal,
    [Symbol.dispose]() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.off('uncaughtException', onCrash);
      process.off('unhandledRejection', onCrash);
    },
  };
}
