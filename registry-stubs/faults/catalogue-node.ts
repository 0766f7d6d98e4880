/**
 * The catalogue rows of the faults the runner injects at a node rather than in the registry
 * (`nodeOnly`): a registry name that never resolves, and a full image filesystem. The engine
 * refuses to apply them; the catalogue still documents and validates them for scenarios.
 */
import { type CatalogueEntry, defineEntry } from './entry.ts';
import { integer, number } from './options.ts';

/** Node faults, in catalogue order. */
export const NODE_FAULTS: readonly CatalogueEntry[] = [
  defineEntry({
    name: 'dns',
    where: 'node',
    summary:
      'The node is pointed at a registry name that never resolves and is never sent to a name server (`<node>-xxx….pullstorm.invalid`, first label over 63 characters); the runner configures it.',
    options: {},
    clientSees:
      '`dial tcp: lookup <node>-xxx….pullstorm.invalid: no such host` (a real outage adds ` on <resolver>`)',
    expectedCauses: ['dns'],
    scopeKeys: ['nodes'],
    nodeOnly: true,
    factory: { kind: 'node' },
  }),
  defineEntry({
    name: 'disk-full',
    where: 'node',
    summary:
      "The node's containerd root (a size-limited tmpfs) is filled; injected by the backend at the node. Default when neither option is given: freeBytes 0.",
    options: {
      fillPercent: {
        type: 'number',
        doc: 'fill the image filesystem to this percentage',
        unit: 'percent',
        check: number(1, 100),
      },
      freeBytes: {
        type: 'integer',
        doc: 'leave exactly this many bytes free',
        unit: 'bytes',
        check: integer(0),
      },
    },
    cross: (o) =>
      o.fillPercent !== undefined && o.freeBytes !== undefined
        ? [['freeBytes', 'expected fillPercent or freeBytes, got both']]
        : [],
    clientSees:
      '`failed to copy: … ingest/…/data: no space left on device` (download) or `failed to extract layer sha256:…: … no space left on device` (unpack)',
    expectedCauses: ['disk-full'],
    scopeKeys: ['nodes'],
    nodeOnly: true,
    factory: { kind: 'node' },
  }),
];
