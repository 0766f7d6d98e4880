/**
 * What validation needs from outside the scenario model: the fault catalogue (owned by the fault
 * engine, which alone knows each fault's options) and the classifier's cause ids. Plus `Known`,
 * the names each part of a scenario declares, which later parts' cross-references are checked
 * against.
 */
import type { Problem } from './problem.ts';

/** A fault as validation sees it: a check of its options. */
export interface FaultDefinition {
  /** Every problem of `options` (`{}` when the scenario gave none), with paths under `path`. */
  validate(options: unknown, path: string): Problem[];
}

/** The catalogue a scenario is checked against. */
export interface ScenarioContext {
  /** Fault names (in the order messages list them) and their option checks. */
  faults: Readonly<Record<string, FaultDefinition>>;
  /** Cause ids `classifiedAs` may name, e.g. `CAUSE_IDS` of the classifier. */
  causes: readonly string[];
}

/** Options of `validate()`. */
export interface ValidateOptions {
  /**
   * Accept a bare number as milliseconds for a duration; default true (TypeScript scenarios).
   * The YAML/JSON loader turns it off: `timeout: 300` there almost always means seconds.
   */
  durationNumbers?: boolean;
}

/**
 * Names declared so far. A field is undefined while its part is too broken to know every name;
 * references into it are then not checked, so one mistake is not reported twice.
 */
export interface Known {
  /** The run's timeout in ms. */
  timeoutMs?: number;
  /** Node names and node-group names. */
  nodes?: Set<string>;
  /** Node-group names, for messages (node lists can be thousands long). */
  nodeGroups: string[];
  /** Registries by name: `users` is undefined without auth (or when the users are broken). */
  registries?: Map<string, { auth: boolean; users?: string[] }>;
  /** Registry and mirror names, for fault scopes. */
  hosts?: Set<string>;
  /** Image aliases to their references. */
  aliases?: Map<string, string>;
  /** Fault ids, whether each is ever cleared (`for` or `clearAt`), and its `scope.registry` if given. */
  faults?: Map<string, { clears: boolean; registry?: string }>;
}
