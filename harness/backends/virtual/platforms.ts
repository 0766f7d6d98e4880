/**
 * Platform choice from an index as containerd makes it for the CRI plugin: `platforms.Only(node)`
 * (containerd/platforms compare.go: an amd64 node also runs 386, an arm64 node arm/v8 down to v5,
 * arm/vN everything below it), `FilterPlatforms` keeping entries without a platform, and
 * `LimitManifests(…, 1)` (images/handlers.go) taking the best match, entries without a platform
 * last; none left → `no match for platform in manifest: not found`.
 */
import { goErrorf } from './go-error.ts';
import type { Descriptor } from './resolve.ts';

/** An OS/architecture/variant triple. */
export interface Platform {
  os: string;
  architecture: string;
  variant?: string | undefined;
}

/** `platforms.Parse` for `os/arch[/variant]`; throws RangeError for anything else. */
export function parsePlatform(text: string): Platform {
  const [os, architecture, variant, extra] = text.split('/');
  if (!os || !architecture || extra !== undefined || variant === '') {
    throw new RangeError(
      `platform must be os/architecture[/variant], e.g. linux/amd64; got ${JSON.stringify(text)}`,
    );
  }
  return normalize({ os, architecture, variant });
}

/** `platforms.Normalize`: architecture aliases and default variants. */
export function normalize(p: Platform): Platform {
  const os = p.os.toLowerCase();
  let arch = p.architecture.toLowerCase();
  let variant = p.variant?.toLowerCase();
  if (arch === 'i386') arch = '386';
  else if (arch === 'x86_64' || arch === 'x86-64' || arch === 'amd64') {
    arch = 'amd64';
    if (variant === 'v1') variant = undefined;
  } else if (arch === 'aarch64' || arch === 'arm64') {
    arch = 'arm64';
    if (variant === '8' || variant === 'v8') variant = undefined;
  } else if (arch === 'armhf') [arch, variant] = ['arm', 'v7'];
  else if (arch === 'armel') [arch, variant] = ['arm', 'v6'];
  else if (arch === 'arm') {
    if (variant === undefined || variant === '7') variant = 'v7';
    else if (variant === '5' || variant === '6' || variant === '8') variant = `v${variant}`;
  }
  return variant === undefined ? { os, architecture: arch } : { os, architecture: arch, variant };
}

/** `platformVector`: the node's platform first, then what it can also run, best first. */
function vector(p: Platform): Platform[] {
  const out: Platform[] = [p];
  const level = Number((p.variant ?? '').replace(/^v/, ''));
  if (p.architecture === 'amd64') {
    for (let v = level - 1; level > 1 && v >= 1; v--)
      out.push({ os: p.os, architecture: 'amd64', variant: `v${v}` });
    out.push({ os: p.os, architecture: '386' });
  } else if (p.architecture === 'arm') {
    for (let v = level - 1; level > 5 && v >= 5; v--)
      out.push({ os: p.os, architecture: 'arm', variant: `v${v}` });
  } else if (p.architecture === 'arm64') {
    out.push(...vector({ os: p.os, architecture: 'arm', variant: p.variant ?? 'v8' }));
  }
  return out.map((x) =>
    x.variant === 'v1' && x.architecture === 'amd64' ? { os: x.os, architecture: 'amd64' } : x,
  );
}

/** Rank of `candidate` for a node of `node` (0 best), or -1 when the node cannot run it. */
export function platformRank(node: Platform, candidate: Platform): number {
  const c = normalize(candidate);
  return vector(node).findIndex(
    (v) => v.os === c.os && v.architecture === c.architecture && (v.variant ?? '') === (c.variant ?? ''),
  );
}

/** The index entry containerd pulls on `node`; throws `no match for platform in manifest: not found`. */
export function chooseManifest(node: Platform, manifests: readonly Descriptor[]): Descriptor {
  const ranked = manifests
    .map((d, order) => ({
      d,
      order,
      rank: d.platform === undefined ? Number.MAX_SAFE_INTEGER : platformRank(node, d.platform),
    }))
    .filter((x) => x.rank >= 0)
    .sort((a, b) => a.rank - b.rank || a.order - b.order);
  const best = ranked[0];
  if (best === undefined) throw goErrorf('no match for platform in manifest', 'not-found');
  return best.d;
}
