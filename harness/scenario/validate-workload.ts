/**
 * Checks `workload`: names, images (a reference or an alias), pull secrets against the image
 * registry's users, replicas and ramps, node selectors against the declared nodes, and that
 * everything starts before the run's timeout.
 */

import type { Known } from '../../vocab/context.ts';
import { at } from '../../vocab/problem.ts';
import { type Checker, closest, duration, eachOf, num, oneOf, type Rule, str } from './check.ts';
import { formatDuration } from './duration.ts';
import { IMAGE_REF_EXPECTS, type ImageRef, parseImageRef } from './refs.ts';
import { label } from './validate-backend.ts';
import { imageRef } from './validate-registries.ts';

const WORKLOAD_FIELDS = [
  'kind',
  'name',
  'image',
  'imagePullPolicy',
  'pullSecret',
  'replicas',
  'at',
  'ramp',
  'nodeSelector',
];

/** A rule for a node or node-group name declared in `backend.nodes`. */
export function nodeName(known: Known): Rule<string> {
  const expects = `a node or node group name (groups: ${known.nodeGroups.join(', ')})`;
  return str(expects, (s) => {
    if (!known.nodes || known.nodes.has(s)) return true;
    const guess = closest(s, known.nodeGroups);
    return guess ? `did you mean '${guess}'?` : false;
  });
}

/** Reports a start offset at or after the timeout: such a step would never happen. */
export function checkStart(ck: Checker, path: string, ms: number | undefined, known: Known): void {
  if (ms !== undefined && known.timeoutMs !== undefined && ms >= known.timeoutMs) {
    ck.wrong(path, `a time before the timeout (${formatDuration(known.timeoutMs)})`, formatDuration(ms));
  }
}

/** Checks `workload`. */
export function checkWorkload(ck: Checker, value: unknown, known: Known): void {
  if (value === undefined || value === null) {
    ck.add('workload', 'required field missing; expected a list of pods and deployments');
    return;
  }
  const names = new Set<string>();
  ck.list(value, 'workload', 'pods and deployments', 1)?.forEach((item, i) => {
    const path = at('workload', i);
    const w = ck.mapping(item, path, WORKLOAD_FIELDS);
    if (!w) return;
    const kind = ck.field(w, path, 'kind', oneOf(['pod', 'deployment', 'prepull']), true);
    if (kind === 'prepull') {
      for (const field of ['replicas', 'ramp'] as const) {
        if (w[field] != null)
          ck.add(at(path, field), `a prepull runs one pod on each selected node; expected no ${field}`);
      }
    }
    const name = ck.field(w, path, 'name', label, true);
    if (name !== undefined && names.has(name))
      ck.wrong(at(path, 'name'), 'a name not used by another workload', name);
    if (name !== undefined) names.add(name);
    const ref = checkImage(ck, w.image, at(path, 'image'), known);
    ck.field(w, path, 'imagePullPolicy', oneOf(['Always', 'IfNotPresent', 'Never']));
    if (w.pullSecret != null) checkPullSecret(ck, w.pullSecret, at(path, 'pullSecret'), ref, known);
    const replicas = ck.field(w, path, 'replicas', num({ min: 0, integer: true }));
    const start = ck.field(w, path, 'at', duration());
    checkStart(ck, at(path, 'at'), start, known);
    if (w.ramp != null) {
      const rpath = at(path, 'ramp');
      const r = ck.mapping(w.ramp, rpath, ['to', 'over']);
      const to = r && ck.field(r, rpath, 'to', num({ min: 1, integer: true }), true);
      const over = r && ck.field(r, rpath, 'over', duration(), true);
      const from = w.replicas == null ? 1 : replicas;
      if (to != null && from !== undefined && to <= from)
        ck.wrong(at(rpath, 'to'), `more than replicas (${from})`, to);
      const end = (start ?? 0) + (over ?? 0);
      if (over != null && known.timeoutMs !== undefined && end > known.timeoutMs) {
        ck.add(
          at(rpath, 'over'),
          `expected a ramp that ends within the timeout (${formatDuration(known.timeoutMs)}), got at ${formatDuration(start ?? 0)} + over ${formatDuration(over)}`,
        );
      }
    }
    eachOf(ck, w, path, 'nodeSelector', nodeName(known));
  });
}

/** Checks `image` (a reference, or an alias when it has no `/`) and returns the reference. */
function checkImage(ck: Checker, value: unknown, path: string, known: Known): ImageRef | undefined {
  if (value === undefined || value === null) {
    return ck.add(path, `required field missing; expected ${IMAGE_REF_EXPECTS} or an alias from images`);
  }
  if (typeof value === 'string' && !value.includes('/')) {
    if (!known.aliases) return undefined;
    const ref = known.aliases.get(value);
    if (ref !== undefined) return ref === '' ? undefined : (parseImageRef(ref) as ImageRef);
    const names = [...known.aliases.keys()];
    const expects = `${IMAGE_REF_EXPECTS} or ${names.length > 0 ? `an alias (${names.join(', ')})` : 'an alias from images'}`;
    const guess = closest(value, names);
    return ck.wrong(path, expects, value, guess ? `did you mean '${guess}'?` : undefined);
  }
  return imageRef(known).check(value, path, ck);
}

/** A pull secret names a user of the image's registry; a registry without auth has none. */
function checkPullSecret(ck: Checker, value: unknown, path: string, ref: ImageRef | undefined, known: Known) {
  if (typeof value !== 'string') return ck.wrong(path, 'a username', value);
  const registry = ref && known.registries?.get(ref.registry);
  if (!ref || !registry) return;
  if (!registry.auth) {
    return ck.wrong(path, `no pullSecret (registry '${ref.registry}' has no auth)`, value);
  }
  if (registry.users && !registry.users.includes(value)) {
    const guess = closest(value, registry.users);
    ck.wrong(
      path,
      `a user of registry '${ref.registry}' (${registry.users.join(', ')})`,
      value,
      guess ? `did you mean '${guess}'?` : undefined,
    );
  }
}
