/**
 * What the catalogue knows about one fault: where it is injected, its options with defaults,
 * what a client sees, the causes the classifier should report and what an operator would do —
 * plus the option check the scenario validator plugs in and the factory the engine calls.
 */
import { CAUSES, type CauseId } from '../../vocab/causes.ts';
import type { Problem } from '../../vocab/problem.ts';
import type { NetFault } from './net/index.ts';
import { type CrossCheck, type OptionSpecs, optionProblems } from './options.ts';
import type { FaultWhere, HttpFault, ScopeKey } from './types.ts';

/** How the engine makes a fault: an HTTP fault, a connection fault, or none (the runner injects it at the node). */
export type FaultFactory =
  | { kind: 'http'; create(options: Record<string, unknown>): HttpFault }
  | {
      kind: 'net';
      create(options: Record<string, unknown>, certificate?: { certPem: string; keyPem: string }): NetFault;
    }
  | { kind: 'node' };

/** One row of the fault catalogue. */
export interface CatalogueEntry {
  /** Stable name, used by scenarios, the control API and events. */
  readonly name: string;
  readonly where: FaultWhere;
  /** One line: what the fault does. */
  readonly summary: string;
  /** Options with types, defaults and one-line docs. */
  readonly options: OptionSpecs;
  /** What a client (containerd via kubelet, as `describe pod` shows) sees; FACTS.md wording. */
  readonly clientSees: string;
  /**
   * What the second client family sees: containers/image (podman 4.3.1, skopeo 1.9.3; CRI-O and
   * buildah use the same library), as test/faults/containers-image proves. Absent for faults
   * proven against containerd only (connection shaping, node faults).
   */
  readonly clientSeesContainersImage?: string;
  /** Classifier cause ids that count as detecting this fault; empty when it shows no error. */
  readonly expectedCauses: readonly CauseId[];
  /** The production problem this fault imitates. */
  readonly usualCause: string;
  /** What an operator would check and change. */
  readonly remediation: string;
  /** Scope conditions it honours. */
  readonly scopeKeys: readonly ScopeKey[];
  /** Present when the runner, not the registry, applies it (at a node). */
  readonly nodeOnly?: true;
  /** Every problem of `options` with paths under `path` (the scenario validator's hook). */
  validate(options: unknown, path: string): Problem[];
  readonly factory: FaultFactory;
}

/** An entry as written in the tables: cause text and validation default from the options and `CAUSES`. */
export type EntryInput = Omit<CatalogueEntry, 'usualCause' | 'remediation' | 'validate' | 'scopeKeys'> & {
  usualCause?: string;
  remediation?: string;
  scopeKeys?: readonly ScopeKey[];
  cross?: CrossCheck;
  /** Extra checks after the options passed (e.g. the connection fault factory's own). */
  refine?: (options: Record<string, unknown>, path: string) => Problem[];
};

/** Every scope key. */
export const ALL_SCOPE_KEYS: readonly ScopeKey[] = [
  'repository',
  'route',
  'nodes',
  'clients',
  'probability',
  'maxCount',
  'seed',
];

/** Completes an entry: usual cause and remediation from the first expected cause, unless given. */
export function defineEntry(input: EntryInput): CatalogueEntry {
  const { cross, refine, ...rest } = input;
  const cause = input.expectedCauses[0] === undefined ? undefined : CAUSES[input.expectedCauses[0]];
  return {
    ...rest,
    usualCause: input.usualCause ?? cause?.title ?? '',
    remediation: input.remediation ?? cause?.remediation ?? '',
    scopeKeys: input.scopeKeys ?? ALL_SCOPE_KEYS,
    validate(options, path) {
      const problems = optionProblems(input.name, input.options, options, path, cross);
      if (problems.length > 0 || refine === undefined) return problems;
      return refine(options as Record<string, unknown>, path);
    },
  };
}
