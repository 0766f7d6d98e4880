/**
 * Applying a connection fault through the engine: the engine's scope becomes the net factory's
 * (`nodes` → `endpoints`), the TLS certificate faults get their variant from the registry's
 * certificates, and the front doors' controller applies it under the engine's id. The
 * controller reports its own `fault.applied` / `fault.cleared` / `fault.hit`.
 */
import type { CertificateVariants } from '../tls/variants.ts';
import { netProblems } from './catalogue-net.ts';
import type { CatalogueEntry } from './entry.ts';
import { FaultError, faultError } from './errors.ts';
import type { NetFault, NetFaults } from './net/index.ts';
import type { FaultScope } from './scope.ts';

const certificateOf = {
  'tls-unknown-ca': 'unknownCa',
  'tls-expired': 'expired',
  'tls-wrong-host': 'wrongName',
  'tls-no-ip-san': 'noIpSan',
} as const;

/** Applies connection fault `entry` with `options` and `scope`; resolves with what it reports as options. */
export async function applyNetFault(
  entry: CatalogueEntry,
  id: string,
  options: Record<string, unknown>,
  scope: FaultScope,
  net: NetFaults | undefined,
  certificates: Partial<CertificateVariants> | undefined,
  certificatesHint = 'start the registry with certificates: certificateVariants()',
): Promise<Record<string, unknown>> {
  if (entry.factory.kind !== 'net') throw new TypeError(`${entry.name} is not a connection fault`);
  if (net === undefined) {
    const how = 'startRegistry({ endpoints: [{ name }] })';
    throw faultError(
      'FAULT_NOT_APPLICABLE',
      `${entry.name} acts on connections, so the registry needs front doors: ${how}`,
      'fault',
    );
  }
  const variant = certificateOf[entry.name as keyof typeof certificateOf];
  const certificate = variant === undefined ? undefined : certificates?.[variant];
  if (variant !== undefined && certificate === undefined) {
    throw faultError(
      'FAULT_NOT_APPLICABLE',
      `${entry.name} serves the '${variant}' certificate variant, which this registry does not have; ${certificatesHint}`,
      'fault',
    );
  }
  const netOptions = {
    ...options,
    ...(scope.nodes !== undefined && { endpoints: scope.nodes }),
    // Listener faults refuse these outright, so they go only when they restrict something.
    ...(scope.probability !== undefined && scope.probability < 1 && { probability: scope.probability }),
    ...(scope.maxCount !== undefined && { maxCount: scope.maxCount }),
    ...(scope.seed !== undefined && { seed: scope.seed }),
  };
  let fault: NetFault;
  try {
    fault = entry.factory.create(netOptions, certificate);
  } catch (err) {
    throw new FaultError('FAULT_INVALID', netProblems(err, entry.name, options, 'options'), { cause: err });
  }
  await net.apply(fault, { id });
  return { ...options, ...fault.options };
}
