/**
 * Where a mirror sits and what it stores on: `nodes` scopes its hosts.toml `[host]` entry to
 * some nodes (the rest pull straight from the registry, so one run can compare the two), and
 * `diskBytes` puts the cache on a size-limited tmpfs (a mirror with a full disk). Kept apart from
 * the mirror's type checks so each stays small.
 */
import type { Known } from '../../vocab/context.ts';
import { at } from '../../vocab/problem.ts';
import { type Checker, closest, eachOf, size, str } from './check.ts';

/** The placement fields a mirror mapping may have besides name, type, credentials and lock. */
export const MIRROR_PLACEMENT_FIELDS = ['nodes', 'diskBytes'];

/** A tmpfs smaller than this holds nothing useful (the same floor as a node's `diskBytes`). */
const MIN_DISK_BYTES = 1024 * 1024;

/** Checks `nodes` against the declared nodes and `diskBytes` (distribution only, ≥ 1 MiB). */
export function checkMirrorPlacement(
  ck: Checker,
  m: Record<string, unknown>,
  path: string,
  known: Known,
): void {
  const expects = `a node or node group name (groups: ${known.nodeGroups.join(', ')})`;
  const node = str(expects, (s) => {
    if (!known.nodes || known.nodes.has(s)) return true;
    const guess = closest(s, known.nodeGroups);
    return guess ? `did you mean '${guess}'?` : false;
  });
  eachOf(ck, m, path, 'nodes', node);
  const disk = ck.field(m, path, 'diskBytes', size);
  if (disk === undefined) return;
  const type = m.type ?? 'distribution';
  if (type !== 'distribution' && type !== 'pull-through-cache') {
    ck.wrong(
      at(path, 'diskBytes'),
      'diskBytes only on a distribution mirror (its storage is a directory the harness mounts)',
      `type ${String(type)}`,
    );
  } else if (disk < MIN_DISK_BYTES) {
    ck.wrong(at(path, 'diskBytes'), 'at least 1Mi', m.diskBytes);
  }
}
