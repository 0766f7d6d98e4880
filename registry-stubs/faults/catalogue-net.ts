/**
 * The catalogue rows of the connection faults (registry-stubs/faults/net/, applied through the
 * front doors). Option specs here
 * describe the net factories' options for docs and scenario validation; the factories themselves
 * still check everything (cross-option rules included) when the engine calls them.
 */
import { at, type Problem } from '../../vocab/problem.ts';
import { type CatalogueEntry, defineEntry, type FaultFactory } from './entry.ts';
import {
  bandwidth,
  blackhole,
  latency,
  type NetFault,
  refused,
  reset,
  tlsExpired,
  tlsNoIpSan,
  tlsPlainHttp,
  tlsStall,
  tlsUnknownCa,
  tlsWrongHost,
} from './net/index.ts';
import { choice, integer, number, type OptionSpecs } from './options.ts';
import type { ScopeKey } from './types.ts';

const connectionScope: readonly ScopeKey[] = ['nodes', 'probability', 'maxCount', 'seed'];
const ms = (doc: string, def: number) => ({
  type: 'integer',
  doc,
  default: def,
  unit: 'ms' as const,
  check: integer(0, 600_000),
});
const maxStall = {
  ...ms('safety bound: held connections are dropped after this long', 3_600_000),
  check: integer(1, 86_400_000),
};

// biome-ignore lint/suspicious/noExplicitAny: each factory checks its own options at run time.
const net = (create: (options: any) => NetFault): FaultFactory => ({ kind: 'net', create });
// biome-ignore lint/suspicious/noExplicitAny: as above; the engine supplies the certificate.
const tls = (create: (options: any) => NetFault): FaultFactory => ({
  kind: 'net',
  create: (options, certificate) => create({ ...options, certificate }),
});

/** A net factory's TypeError/RangeError (`name: a; b`) as problems, at the option each names. */
export function netProblems(err: unknown, name: string, options: object, path: string): Problem[] {
  const text = err instanceof Error ? err.message : String(err);
  return text
    .replace(new RegExp(`^${name}: `), '')
    .split('; ')
    .map((message) => {
      const key = /^(\w+)/.exec(message)?.[1];
      return { path: key !== undefined && key in options ? at(path, key) : path, message };
    });
}

/** Runs the factory on `options` so its cross-option rules are reported too. */
const byFactory =
  (name: string, create: (o: object) => NetFault) => (options: Record<string, unknown>, path: string) => {
    try {
      create(options);
      return [];
    } catch (err) {
      return netProblems(err, name, options, path);
    }
  };

const REFUSED: OptionSpecs = {
  existing: {
    type: 'string',
    doc: 'open connections: reset them or keep them',
    default: 'reset',
    check: choice(['reset', 'keep']),
  },
};
const BLACKHOLE: OptionSpecs = {
  mode: {
    type: 'string',
    doc: 'syn-drop: connect times out; stall: accepted, never answered',
    default: 'syn-drop',
    check: choice(['syn-drop', 'stall']),
  },
  existing: {
    type: 'string',
    doc: 'open connections: stall them or keep them',
    default: 'stall',
    check: choice(['stall', 'keep']),
  },
  maxStallMs: maxStall,
};
const RESET: OptionSpecs = {
  afterBytes: {
    type: 'integer',
    doc: 'response bytes a chosen connection gets before the RST',
    default: 1_048_576,
    unit: 'bytes',
    check: integer(0),
  },
  drainMs: {
    ...ms('longest wait for the client to take written bytes before the RST', 1000),
    check: integer(0, 60_000),
  },
};
const LATENCY: OptionSpecs = {
  connectionMs: ms('delay before a new connection is served', 0),
  connectionJitterMs: ms('uniform ± jitter on connectionMs, at most connectionMs', 0),
  chunkMs: ms('delay before each response chunk (up to 64 KiB)', 0),
  chunkJitterMs: ms('uniform ± jitter on chunkMs, at most chunkMs', 0),
};
const rate = (doc: string) => ({
  type: 'number',
  doc,
  unit: 'bytes/s' as const,
  check: number(1, 10 * 1024 ** 3),
});
const BANDWIDTH: OptionSpecs = {
  bytesPerSecond: rate('cap of each connection; default none'),
  totalBytesPerSecond: rate('cap shared by every connection the fault touches; default none'),
};
const TLS_STALL: OptionSpecs = { maxStallMs: maxStall };
const certificateNote = ' The engine serves the matching certificate variant the registry was started with.';

/** Connection faults (TCP and TLS layers), in catalogue order. */
export const NET_FAULTS: readonly CatalogueEntry[] = [
  defineEntry({
    name: 'tls-unknown-ca',
    where: 'TLS layer',
    summary: `New connections get a certificate signed by a CA the client does not trust.${certificateNote}`,
    options: {},
    clientSees: '`tls: failed to verify certificate: x509: certificate signed by unknown authority`',
    clientSeesContainersImage:
      '`pinging container registry <host>: Get "https://<host>/v2/": x509: certificate signed by unknown authority`',
    expectedCauses: ['tls-unknown-ca'],
    scopeKeys: connectionScope,
    factory: tls(tlsUnknownCa),
  }),
  defineEntry({
    name: 'tls-expired',
    where: 'TLS layer',
    summary: `New connections get an expired certificate.${certificateNote}`,
    options: {},
    clientSees: '`x509: certificate has expired or is not yet valid: current time … is after …`',
    clientSeesContainersImage:
      '`pinging container registry <host>: Get "https://<host>/v2/": x509: certificate has expired or is not yet valid: current time … is after …`',
    expectedCauses: ['tls-expired'],
    scopeKeys: connectionScope,
    factory: tls(tlsExpired),
  }),
  defineEntry({
    name: 'tls-wrong-host',
    where: 'TLS layer',
    summary: `New connections get a certificate for another host name.${certificateNote}`,
    options: {},
    clientSees: '`x509: certificate is valid for wrong.pullstorm.invalid, not <host>`',
    clientSeesContainersImage:
      '`pinging container registry <host>: Get "https://<host>/v2/": x509: certificate is valid for wrong.pullstorm.invalid, not <host>`',
    expectedCauses: ['tls-hostname'],
    scopeKeys: connectionScope,
    factory: tls(tlsWrongHost),
  }),
  defineEntry({
    name: 'tls-no-ip-san',
    where: 'TLS layer',
    summary: `New connections get a certificate with DNS names only; clients connecting by IP reject it.${certificateNote}`,
    options: {},
    clientSees: "`x509: cannot validate certificate for <ip> because it doesn't contain any IP SANs`",
    clientSeesContainersImage:
      '`pinging container registry <ip:port>: Get "https://<ip:port>/v2/": x509: cannot validate certificate for <ip> because it doesn\'t contain any IP SANs`',
    expectedCauses: ['tls-hostname'],
    scopeKeys: connectionScope,
    factory: tls(tlsNoIpSan),
  }),
  defineEntry({
    name: 'tls-plain-http',
    where: 'TLS layer',
    summary: 'TLS clients are answered in plain HTTP, as by a registry serving http where https is expected.',
    options: {},
    clientSees: '`http: server gave HTTP response to HTTPS client`',
    clientSeesContainersImage:
      '`pinging container registry <host>: Get "https://<host>/v2/": http: server gave HTTP response to HTTPS client`',
    expectedCauses: ['http-to-https'],
    scopeKeys: connectionScope,
    factory: net(tlsPlainHttp),
  }),
  defineEntry({
    name: 'tls-stall',
    where: 'TLS layer',
    summary: 'TCP is accepted and the TLS handshake never starts.',
    options: TLS_STALL,
    clientSees: '`net/http: TLS handshake timeout` (containerd: after 10 s)',
    clientSeesContainersImage:
      '`pinging container registry <host>: Get "https://<host>/v2/": net/http: TLS handshake timeout` after 10 s (skopeo); podman retries three times and outlasts a shorter stall',
    expectedCauses: ['tls-handshake-timeout', 'timeout'],
    scopeKeys: connectionScope,
    factory: net(tlsStall),
  }),
  defineEntry({
    name: 'refused',
    where: 'TCP layer',
    summary: 'The endpoint stops listening; connects get RST (and open connections are reset).',
    options: REFUSED,
    clientSees: '`dial tcp <ip>:<port>: connect: connection refused`',
    expectedCauses: ['connection-refused'],
    scopeKeys: ['nodes'],
    factory: net(refused),
  }),
  defineEntry({
    name: 'blackhole',
    where: 'TCP layer',
    summary:
      'The endpoint goes silent: SYNs dropped (connect times out), or connections accepted and never answered.',
    options: BLACKHOLE,
    clientSees: '`dial tcp <ip>:<port>: i/o timeout` (mode stall: `net/http: TLS handshake timeout`)',
    expectedCauses: ['timeout', 'tls-handshake-timeout'],
    scopeKeys: connectionScope,
    refine: byFactory('blackhole', blackhole),
    factory: net(blackhole),
  }),
  defineEntry({
    name: 'reset',
    where: 'TCP layer',
    summary: 'Chosen connections get an RST after afterBytes response bytes (mid-blob by default).',
    options: RESET,
    clientSees:
      '`read: connection reset by peer`, or mid-blob `failed to read expected number of bytes: unexpected EOF`',
    expectedCauses: ['connection-reset', 'blob-truncated'],
    scopeKeys: connectionScope,
    factory: net(reset),
  }),
  defineEntry({
    name: 'latency',
    where: 'TCP layer',
    summary: 'Added delay per connection and/or per response chunk, with seeded jitter.',
    options: LATENCY,
    clientSees: 'no error; slower pulls (an error only if a client timeout is crossed)',
    expectedCauses: [],
    usualCause: 'A congested or distant link between nodes and the registry',
    remediation:
      'Pull through a mirror or cache near the nodes (hosts.toml), pre-pull large images, and check image_pull_progress_timeout for very slow links.',
    scopeKeys: connectionScope,
    refine: byFactory('latency', latency),
    factory: net(latency),
  }),
  defineEntry({
    name: 'bandwidth',
    where: 'TCP layer',
    summary: 'Response bytes capped per connection and/or in total.',
    options: BANDWIDTH,
    clientSees:
      'no error; slower pulls (containerd cancels a pull with no progress for 5 min: `context canceled`)',
    expectedCauses: [],
    usualCause: 'A saturated uplink, or a registry or proxy throttling egress',
    remediation:
      'Pull through a mirror or P2P distribution (Spegel, Dragonfly) so nodes share bytes, keep images small, and stagger rollouts.',
    scopeKeys: connectionScope,
    refine: byFactory('bandwidth', bandwidth),
    factory: net(bandwidth),
  }),
];
