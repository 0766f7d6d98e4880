/**
 * The connection-level fault layer: a front door per endpoint (node) in front of any
 * `http.Server`, and the faults it applies at run time — refused, blackhole, reset, latency,
 * bandwidth and the TLS faults — each a factory with typed, checked options.
 *
 * ```ts
 * const http = createServer(handler);
 * await using door = await createFrontDoor({ host: '127.0.0.2', deliver: deliverTo(http) });
 * const id = await door.faults.apply(reset({ afterBytes: 1 << 20, probability: 0.5 }));
 * await door.faults.clear(id);
 * ```
 */
export { type BandwidthOptions, bandwidth } from './bandwidth.ts';
export { type BlackholeOptions, blackhole } from './blackhole.ts';
export {
  type AppliedNetFault,
  createNetFaults,
  type FaultEndpoint,
  type NetFaults,
  type NetFaultsOptions,
} from './controller.ts';
export { goNoSuchHost, UNRESOLVABLE_DOMAIN, unresolvableHost } from './dns.ts';
export { createFrontDoor, deliverTo, type FrontDoor, type FrontDoorOptions } from './door.ts';
export { type LatencyOptions, latency } from './latency.ts';
export { seededRandom } from './random.ts';
export { type RefusedOptions, refused } from './refused.ts';
export { DEFAULT_RESET_AFTER_BYTES, type ResetOptions, reset } from './reset.ts';
export type { Scope, ScopeOptions } from './scope.ts';
export {
  serveCertificate,
  type TlsCertificateFault,
  type TlsCertificateOptions,
  tlsExpired,
  tlsNoIpSan,
  tlsUnknownCa,
  tlsWrongHost,
} from './tls-certificate.ts';
export { type TlsPlainHttpOptions, tlsPlainHttp } from './tls-plain-http.ts';
export { type TlsStallOptions, tlsStall } from './tls-stall.ts';
export { TokenBucket } from './token-bucket.ts';
export type * from './types.ts';
