/**
 * What a run shows while it runs: the phase, pods by state, active faults and the elapsed time. On a
 * terminal the block is redrawn in place at most 5 times a second; elsewhere (a pipe, a file, `CI`
 * set) it is plain lines, one per change and at most one pod summary a second, so CI logs stay short.
 */

import { human } from '../analyze/time.ts';
import type { LogEvent } from '../events/run-events.ts';

/** Receives the run's progress. */
export interface Progress {
  /** The runner entered a phase (`provision`, `workload`, …). */
  phase(name: string): void;
  /** Scenario time zero: elapsed counts from here, on `now` (the run clock; default the wall clock). */
  started(now?: () => number): void;
  /** Every event of the log. */
  event(event: LogEvent): void;
  /** A line worth keeping (teardown notes, warnings), printed above the live block. */
  note(line: string): void;
  /** Final redraw; the block stays on screen. */
  stop(): void;
}

/** Options of {@link createProgress}. */
export interface ProgressOptions {
  scenario: string;
  /** Default `process.stderr`. */
  stream?: NodeJS.WriteStream;
  /** Redraw in place; default: the stream is a TTY and `CI` is not set. */
  live?: boolean;
}

/** A progress view for one run. */
export function createProgress(o: ProgressOptions): Progress {
  const stream = o.stream ?? process.stderr;
  const live = o.live ?? (stream.isTTY === true && !process.env.CI);
  const begun = Date.now();
  let zero: number | undefined;
  let now = Date.now;
  let phase = 'start';
  const pods = new Map<string, string>();
  const faults = new Map<string, string>();
  let drawn = 0;
  let lastSummary = '';
  let lastSummaryAt = 0;
  const write = (text: string) => stream.write(text);

  const elapsed = () => {
    const ms = zero === undefined ? Date.now() - begun : now() - zero;
    return zero === undefined ? `${(ms / 1000).toFixed(1)}s` : human(ms);
  };
  const summary = () => {
    const counts = new Map<string, number>();
    for (const state of pods.values()) counts.set(state, (counts.get(state) ?? 0) + 1);
    const parts = [...counts].sort((a, b) => b[1] - a[1]).map(([s, n]) => `${n} ${s}`);
    return `pods ${pods.size}${parts.length ? `: ${parts.join(' · ')}` : ''}`;
  };
  const block = () => [
    `${o.scenario}  ${phase}  ${elapsed()}`,
    `  ${summary()}`,
    `  faults: ${faults.size ? [...faults].map(([id, f]) => (id === f ? id : `${id} (${f})`)).join(', ') : 'none'}`,
  ];
  const clear = () => {
    if (drawn > 0) write(`\x1b[${drawn}A\x1b[0J`);
    drawn = 0;
  };
  const draw = () => {
    clear();
    const lines = block();
    write(`${lines.join('\n')}\n`);
    drawn = lines.length;
  };
  const timer = live ? setInterval(draw, 200) : undefined;
  timer?.unref();
  const line = (text: string) => {
    if (live) {
      clear();
      write(`${text}\n`);
      draw();
    } else write(`[${elapsed()}] ${text}\n`);
  };
  const plainSummary = () => {
    const text = summary();
    if (live || text === lastSummary || Date.now() - lastSummaryAt < 1000) return;
    lastSummary = text;
    lastSummaryAt = Date.now();
    write(`[${elapsed()}] ${text}\n`);
  };

  return {
    phase(name) {
      phase = name;
      if (!live) line(`${o.scenario}: ${name}`);
    },
    started(clock) {
      now = clock ?? Date.now;
      zero = now();
    },
    event(event) {
      if (event.kind === 'pod.state') {
        pods.set(event.pod, event.reason ?? event.phase);
        plainSummary();
      } else if (event.kind === 'fault.applied') {
        faults.set(event.id, event.fault);
        if (!live) line(`fault ${event.id} (${event.fault}) applied`);
      } else if (event.kind === 'fault.cleared') {
        faults.delete(event.id);
        if (!live) line(`fault ${event.id} (${event.fault}) cleared`);
      }
    },
    note: line,
    stop() {
      if (timer) clearInterval(timer);
      if (live) draw();
      else {
        lastSummaryAt = 0;
        lastSummary = '';
        plainSummary();
      }
    },
  };
}
