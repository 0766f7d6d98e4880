/**
 * The binary each started mirror type runs and the Debian package that brings it. One table, read
 * by the preflight check (exit 3 naming the package), `pullstorm doctor` and `scripts/setup.mjs`.
 */
import { onPathSync } from './which.ts';

/** Mirror types the harness starts as processes on this machine. */
export type ProcessMirrorType = 'distribution' | 'nginx';

/** A started mirror's binary and package. */
export interface MirrorBinary {
  bin: string;
  apt: string;
  /** What it is, for messages. */
  what: string;
}

/** By mirror type. */
export const MIRROR_BINARIES: Readonly<Record<ProcessMirrorType, MirrorBinary>> = {
  distribution: { bin: 'docker-registry', apt: 'docker-registry', what: 'distribution 2.8 in proxy mode' },
  nginx: { bin: 'nginx', apt: 'nginx-light', what: 'nginx with proxy_cache' },
};

/** Whether `type` is one the harness starts as a local process. */
export function isProcessMirror(type: string): type is ProcessMirrorType {
  return Object.hasOwn(MIRROR_BINARIES, type);
}

/**
 * Mirror types that are real mirrors rather than stubs: those started as processes, `container`
 * (an image run with testcontainers) and `external` (the user's own, never started).
 */
const REAL_MIRROR_TYPES = ['distribution', 'nginx', 'container', 'external'] as const;

/** Whether `type` is a real mirror: the harness serves no HTTP of its own for it. */
export function isRealMirror(type: string): type is (typeof REAL_MIRROR_TYPES)[number] {
  return (REAL_MIRROR_TYPES as readonly string[]).includes(type);
}

/** One line per mirror type in `types` whose binary is missing, naming the package to install. */
export function missingMirrorBinaries(types: Iterable<string>, path = process.env.PATH ?? ''): string[] {
  const missing: string[] = [];
  for (const type of new Set(types)) {
    if (!isProcessMirror(type)) continue;
    const b = MIRROR_BINARIES[type];
    if (!onPathSync(b.bin, path)) {
      missing.push(
        `a ${type} mirror runs ${b.bin} (${b.what}), which is not on PATH: apt-get install ${b.apt}`,
      );
    }
  }
  return missing;
}
