/**
 * The runner's one adapter to the registry stub and its fault engine: a stub with one front door per
 * node, faults applied and cleared by id, the scenario context (the fault catalogue) and each fault's
 * place (registry or node). Everything the runner knows about the engine's names is in this file, so
 * a rename there is a one-line change here.
 */

import type { AuthOptions } from '../../registry-stubs/auth/options.ts';
import type { RegistryRequestEvent } from '../../registry-stubs/events.ts';
import {
  scenarioContext as catalogueContext,
  catalogueEntry,
  expectedCausesByFault,
} from '../../registry-stubs/faults/catalogue.ts';
import { endpointOf, socketAddress, startRegistry } from '../../registry-stubs/index.ts';
import type { ImageBundle } from '../../registry-stubs/oci/types.ts';
import type { Store } from '../../registry-stubs/storage/types.ts';
import type { CertificateVariants } from '../../registry-stubs/tls/variants.ts';
import type { ScenarioContext } from '../../vocab/context.ts';
import type { FaultChange, FaultHit } from '../events/types.ts';
import type { FaultScope } from '../scenario/resolved.ts';

/** One front door of a stub: the address one node reaches it at. */
export interface StubEndpoint {
  /** The node's name. */
  name: string;
  host: string;
  port: number;
  /** `http(s)://host:port`. */
  url: string;
}

/** A fault to apply, as the engine takes it. */
export interface FaultRequest {
  id: string;
  fault: string;
  options: Record<string, unknown>;
  /** Scope conditions (nodes are endpoint names), as the scenario resolved them. */
  scope: Omit<FaultScope, 'registry'>;
}

/** A running stub registry with its doors and fault controls. */
export interface Stub {
  readonly endpoints: readonly StubEndpoint[];
  /** The stub's storage; undefined for a real mirror (harness/run/real-mirrors.ts). */
  readonly store?: Store;
  /** Applies a fault; resolves once it is in effect, with the function that clears it. */
  apply(request: FaultRequest): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** Options of {@link startStub}. */
export interface StubOptions {
  /** One door per node, each on its own loopback address (port: default ephemeral). */
  endpoints: { name: string; host: string; port?: number }[];
  /** The certificates: `valid` is served, the others are what the TLS faults serve; default plain HTTP. */
  certificates?: CertificateVariants;
  auth?: AuthOptions;
  images: readonly ImageBundle[];
  onRequest: (event: RegistryRequestEvent) => void;
  onFaultEvent: (event: FaultChange | FaultHit) => void;
  /** The run clock's time (events, tokens, rate-limit windows); default `Date.now`. */
  now?: () => number;
  /** The run clock: every request served is work in flight; default none. */
  work?: { begin(): () => void };
}

/** Starts a stub registry behind one door per endpoint. */
export async function startStub(options: StubOptions): Promise<Stub> {
  const { certificates } = options;
  // Each door stands for one node, so a request's client is its door's address: the node's own IP,
  // as a registry sees it in production. containerd cannot bind a source address, so a real node's
  // socket comes from 127.0.0.1 whatever door it dials, and per-client quotas would see one client.
  const doorHost = new Map(options.endpoints.map((e) => [e.name, e.host]));
  const registry = await startRegistry({
    endpoints: options.endpoints,
    clientAddress: (c) => {
      const door = endpointOf(c);
      return (door === undefined ? undefined : doorHost.get(door)) ?? socketAddress(c);
    },
    images: options.images,
    ...(options.now ? { now: options.now } : {}),
    ...(options.work ? { work: options.work } : {}),
    onRequest: options.onRequest,
    onFaultEvent: options.onFaultEvent,
    ...(options.auth ? { auth: options.auth } : {}),
    ...(certificates
      ? { tls: { certPem: certificates.valid.certPem, keyPem: certificates.valid.keyPem } }
      : {}),
    ...(certificates ? { certificates } : {}),
  });
  return {
    endpoints: registry.endpoints,
    store: registry.store,
    async apply(request) {
      const applied = await registry.faults.apply(request);
      return () => applied.clear();
    },
    close: () => registry.close(),
  };
}

/** Where a fault acts: at the registry (the engine applies it) or at the node (the runner does). */
export type FaultPlace = 'registry' | 'node';

/** Where `fault` acts. */
export function faultPlace(fault: string): FaultPlace {
  return catalogueEntry(fault)?.nodeOnly ? 'node' : 'registry';
}

/** The catalogue scenarios are validated against. */
export function scenarioContext(): ScenarioContext {
  return catalogueContext();
}

const expected = expectedCausesByFault();

/** The causes a client should show for `fault` (what "detected" means), for the analysis. */
export function expectedCausesOf(fault: string): string[] {
  return [...(expected[fault] ?? [])];
}
