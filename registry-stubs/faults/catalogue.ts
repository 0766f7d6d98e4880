/**
 * The fault catalogue: every fault pullstorm can inject — HTTP faults in the registry, connection
 * faults at the front doors, node faults the runner applies — with where it acts, its options
 * and defaults, what a client sees and the causes the classifier should report. It is the one
 * source for the engine (`apply` by name), the scenario validator (`scenarioContext()`), the
 * analysis (`expectedCausesByFault()`) and `pullstorm faults`.
 */

import { CAUSE_IDS, type CauseId } from '../../vocab/causes.ts';
import { closest } from '../../vocab/closest.ts';
import type { ScenarioContext } from '../../vocab/context.ts';
import type { AuthChallengeErrorOptions } from './auth-challenge-error/index.ts';
import type { AuthTokenEndpointOptions } from './auth-token-endpoint/index.ts';
import type { AuthTokenExpiryOptions } from './auth-token-expiry/index.ts';
import { HTTP_FAULTS } from './catalogue-http.ts';
import { NET_FAULTS } from './catalogue-net.ts';
import { NODE_FAULTS } from './catalogue-node.ts';
import type { CorruptBlobOptions } from './corrupt-blob/index.ts';
import type { CatalogueEntry } from './entry.ts';
import type { MissingBlobOptions } from './missing-blob/index.ts';
import type {
  BandwidthOptions,
  BlackholeOptions,
  LatencyOptions,
  RefusedOptions,
  ResetOptions,
  TlsStallOptions,
} from './net/index.ts';
import type { RateLimitOptions } from './rate-limit/index.ts';
import type { RegistryDownOptions } from './registry-down/index.ts';
import type { ServerErrorOptions } from './server-error/index.ts';
import type { TagOverwriteOptions } from './tag-overwrite/index.ts';
import type { TruncatedBlobOptions } from './truncated-blob/index.ts';
import type { UnknownTagOptions } from './unknown-tag/index.ts';
import type { WrongArchOptions } from './wrong-arch/index.ts';
import type { WrongLengthOptions } from './wrong-length/index.ts';
import type { WrongPlatformOptions } from './wrong-platform/index.ts';

export type { CatalogueEntry } from './entry.ts';

type Scoped = 'endpoints' | 'probability' | 'maxCount' | 'seed';
type None = Record<string, never>;

/**
 * Options of each fault by name, as scenarios and `apply()` write them (scope keys live in
 * `scope`). Ready for the scenario model's `FaultOptionsMap` declaration merge; not merged here
 * because existing scenario tests use stand-in fault options that would stop type-checking.
 */
export interface FaultOptionsByName {
  'auth-no-credentials': None;
  'auth-bad-credentials': None;
  'auth-token-endpoint': AuthTokenEndpointOptions;
  'auth-token-expiry': AuthTokenExpiryOptions;
  'auth-insufficient-scope': None;
  'auth-challenge-error': AuthChallengeErrorOptions;
  'rate-limit': RateLimitOptions;
  'unknown-tag': UnknownTagOptions;
  'missing-blob': MissingBlobOptions;
  'corrupt-blob': CorruptBlobOptions;
  'truncated-blob': TruncatedBlobOptions;
  'wrong-length': WrongLengthOptions;
  'tag-overwrite': TagOverwriteOptions;
  'wrong-platform': WrongPlatformOptions;
  'wrong-arch': WrongArchOptions;
  'server-error': ServerErrorOptions;
  'registry-down': RegistryDownOptions;
  'tls-unknown-ca': None;
  'tls-expired': None;
  'tls-wrong-host': None;
  'tls-no-ip-san': None;
  'tls-plain-http': None;
  'tls-stall': Omit<TlsStallOptions, Scoped>;
  refused: Omit<RefusedOptions, Scoped>;
  blackhole: Omit<BlackholeOptions, Scoped>;
  reset: Omit<ResetOptions, Scoped>;
  latency: Omit<LatencyOptions, Scoped>;
  bandwidth: Omit<BandwidthOptions, Scoped>;
  dns: None;
  'disk-full': { fillPercent?: number; freeBytes?: number };
}

/** A catalogue fault name. */
export type FaultName = keyof FaultOptionsByName;

/** Every fault, HTTP ones first, then connection faults, then node faults. */
export const CATALOGUE: readonly CatalogueEntry[] = [...HTTP_FAULTS, ...NET_FAULTS, ...NODE_FAULTS];

const byName = new Map(CATALOGUE.map((entry) => [entry.name, entry]));

/** The entry called `name`, or undefined. */
export function catalogueEntry(name: string): CatalogueEntry | undefined {
  return byName.get(name);
}

/** Every fault name, in catalogue order. */
export const FAULT_NAMES: readonly string[] = CATALOGUE.map((e) => e.name);

/** "expected one of …, got 'x' (did you mean 'y'?)" for an unknown fault name. */
export function unknownFaultMessage(name: unknown): string {
  const guess = typeof name === 'string' ? closest(name, FAULT_NAMES) : undefined;
  const given = typeof name === 'string' ? `'${name}'` : (JSON.stringify(name) ?? String(name));
  return `expected a fault name (${FAULT_NAMES.join(', ')}), got ${given}${guess ? ` (did you mean '${guess}'?)` : ''}`;
}

/** The scenario validator's context: every fault's option check, and the classifier's cause ids. */
export function scenarioContext(): ScenarioContext {
  return {
    faults: Object.fromEntries(CATALOGUE.map((e) => [e.name, { validate: e.validate }])),
    causes: CAUSE_IDS,
  };
}

/** Expected causes by fault name, for the analysis (`analyze({ expectedCauses })`). */
export function expectedCausesByFault(): Record<string, readonly CauseId[]> {
  return Object.fromEntries(CATALOGUE.map((e) => [e.name, e.expectedCauses]));
}
