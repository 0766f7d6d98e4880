/**
 * Checks `backend`: the backend type, kubelet settings (kubelet's own validation rules, phrased as
 * "expected …, got …") and the node groups, whose names the workload and faults refer to.
 */

import type { Known } from '../../vocab/context.ts';
import { at } from '../../vocab/problem.ts';
import { bool, type Checker, duration, num, oneOf, type Rule, size, str } from './check.ts';
import { DEFAULTS, nodeNames } from './defaults.ts';
import { DNS_LABEL, DNS_LABEL_EXPECTS, PLATFORM_EXPECTS, platformProblem } from './refs.ts';

const BACKEND_FIELDS = ['type', 'kubernetesVersion', 'clock', 'seed', 'timeScale', 'kubelet', 'nodes'];
/** Why `backend.timeScale` is refused: it was accepted before the run clock replaced it. */
export const TIME_SCALE_REMOVED =
  'was removed: the run clock now skips idle time instead of scaling it, so runs are fast and every duration is what a real cluster would show; delete the field (or set backend.clock: real to run 1:1)';
const KUBELET_FIELDS = [
  'serializeImagePulls',
  'maxParallelImagePulls',
  'registryPullQPS',
  'registryBurst',
  'imageGCHighThresholdPercent',
  'imageGCLowThresholdPercent',
  'imageMinimumGCAge',
];
const NODE_FIELDS = ['name', 'count', 'kind', 'platform', 'diskBytes'];
/** The oldest kubelet whose image manager pullstorm models. */
const OLDEST_MINOR = 28;

/** A DNS label rule, shared by every name in the model. */
export const label = str(DNS_LABEL_EXPECTS, (s) => DNS_LABEL.test(s));

const VERSION_EXPECTS = "a Kubernetes version such as '1.32' (quoted)";
const kubernetesVersion: Rule<string> = {
  expects: VERSION_EXPECTS,
  check(value, path, ck) {
    if (typeof value === 'number') {
      return ck.wrong(
        path,
        VERSION_EXPECTS,
        value,
        'YAML reads an unquoted 1.30 as the number 1.3; quote it',
      );
    }
    const m = typeof value === 'string' ? /^v?1\.(\d+)(?:\.\d+)?$/.exec(value) : null;
    if (!m) return ck.wrong(path, VERSION_EXPECTS, value);
    if (Number(m[1]) < OLDEST_MINOR) return ck.wrong(path, `1.${OLDEST_MINOR} or later`, value);
    return value as string;
  },
};

/** Checks `backend` and records node names in `known`. */
export function checkBackend(ck: Checker, value: unknown, known: Known): void {
  if (value === undefined || value === null) {
    known.nodes = new Set([DEFAULTS.node.name]);
    known.nodeGroups = [DEFAULTS.node.name];
    return;
  }
  const b = ck.mapping(value, 'backend', BACKEND_FIELDS);
  if (!b) return;
  const type = ck.field(b, 'backend', 'type', oneOf(['containerd', 'kind', 'kubeconfig']));
  ck.field(b, 'backend', 'kubernetesVersion', kubernetesVersion);
  ck.field(b, 'backend', 'clock', oneOf(['warp', 'real']));
  ck.field(b, 'backend', 'seed', num({ min: 0, max: 2 ** 32 - 1, integer: true }));
  if (b.timeScale !== undefined) ck.add('backend.timeScale', TIME_SCALE_REMOVED);
  if (b.kubelet !== undefined && b.kubelet !== null) checkKubelet(ck, b.kubelet);
  if (b.nodes === undefined || b.nodes === null) {
    known.nodes = new Set([DEFAULTS.node.name]);
    known.nodeGroups = [DEFAULTS.node.name];
    return;
  }
  const nodes = ck.list(b.nodes, 'backend.nodes', 'nodes', 1);
  if (nodes) checkNodes(ck, nodes, known, type);
}

function checkKubelet(ck: Checker, value: unknown): void {
  const path = 'backend.kubelet';
  const k = ck.mapping(value, path, KUBELET_FIELDS);
  if (!k) return;
  const serialize = ck.field(k, path, 'serializeImagePulls', bool);
  const parallel = ck.field(k, path, 'maxParallelImagePulls', num({ min: 1, integer: true }));
  ck.field(k, path, 'registryPullQPS', num({ min: 0 }));
  ck.field(k, path, 'registryBurst', num({ min: 0, integer: true }));
  const percent = num({ min: 0, max: 100, integer: true });
  const high = ck.field(k, path, 'imageGCHighThresholdPercent', percent);
  const low = ck.field(k, path, 'imageGCLowThresholdPercent', percent);
  ck.field(k, path, 'imageMinimumGCAge', duration());
  // kubelet's validation.go rejects both of these at start-up; so does a scenario.
  if (serialize === true && parallel !== undefined && parallel > 1) {
    ck.wrong(at(path, 'maxParallelImagePulls'), '1 or nothing while serializeImagePulls is true', parallel);
  }
  const highGiven = k.imageGCHighThresholdPercent != null;
  const lowGiven = k.imageGCLowThresholdPercent != null;
  const h = highGiven ? high : DEFAULTS.imageGCHighThresholdPercent;
  const l = lowGiven ? low : DEFAULTS.imageGCLowThresholdPercent;
  if (h === undefined || l === undefined || l < h) return;
  // Blame the field the user wrote; a default is named as one.
  if (lowGiven) {
    const note = highGiven ? '' : ', the default';
    ck.wrong(
      at(path, 'imageGCLowThresholdPercent'),
      `less than imageGCHighThresholdPercent (${h}${note})`,
      l,
    );
  } else {
    ck.wrong(
      at(path, 'imageGCHighThresholdPercent'),
      `more than imageGCLowThresholdPercent (${l}, the default)`,
      h,
    );
  }
}

function checkNodes(ck: Checker, nodes: unknown[], known: Known, backend: string | undefined): void {
  const owner = new Map<string, string>();
  let complete = true;
  for (const [i, value] of nodes.entries()) {
    const path = at('backend.nodes', i);
    const n = ck.mapping(value, path, NODE_FIELDS);
    if (!n) {
      complete = false;
      continue;
    }
    const name = ck.field(n, path, 'name', label, true);
    const count = ck.field(n, path, 'count', num({ min: 1, integer: true }));
    const kind = ck.field(n, path, 'kind', oneOf(['real', 'virtual']));
    ck.field(n, path, 'platform', str(PLATFORM_EXPECTS, platformProblem));
    const disk = ck.field(n, path, 'diskBytes', size);
    if (kind === 'virtual' && disk !== undefined) {
      ck.wrong(
        at(path, 'diskBytes'),
        'no diskBytes on a virtual node (it has no containerd root)',
        n.diskBytes,
      );
    } else if (backend === 'kubeconfig' && disk !== undefined) {
      // An existing cluster's nodes belong to the user; pullstorm never remounts their disks.
      ck.wrong(
        at(path, 'diskBytes'),
        'no diskBytes with the kubeconfig backend (the nodes are not ours)',
        n.diskBytes,
      );
    }
    if (name === undefined) {
      complete = false;
      continue;
    }
    const names = nodeNames(name, n.count == null ? 1 : (count ?? 1));
    for (const candidate of new Set([name, ...names])) {
      const first = owner.get(candidate);
      if (first !== undefined) {
        ck.wrong(
          at(path, 'name'),
          'a node name not used by another node',
          name,
          `${first} has '${candidate}'`,
        );
        break;
      }
    }
    for (const candidate of new Set([name, ...names])) owner.set(candidate, path);
    known.nodeGroups.push(name);
  }
  if (complete) known.nodes = new Set(owner.keys());
}
