/**
 * What a scenario's real mirrors need before anything starts: problems with the scenario as
 * written (exit 2) and binaries missing on the machine (exit 3, naming the package).
 */
import { catalogueEntry } from '../../registry-stubs/faults/catalogue.ts';
import type { Problem } from '../../vocab/problem.ts';
import type { Scenario } from '../scenario/resolved.ts';
import { externalMirrorProblems } from './external.ts';
import { isProcessMirror, isRealMirror, missingMirrorBinaries } from './requirements.ts';

/** The scenario's mirror types the harness starts as processes. */
function processMirrorTypes(scenario: Scenario): string[] {
  return scenario.registries.flatMap((r) => r.mirrors.map((m) => m.type)).filter(isProcessMirror);
}

/** Every reason the scenario's real mirrors (distribution, nginx, container, external) cannot run as written. */
export function mirrorProblems(scenario: Scenario): Problem[] {
  const problems: Problem[] = [];
  const { type } = scenario.backend;
  const real = new Map<string, string>();
  for (const [i, r] of scenario.registries.entries()) {
    for (const [j, m] of r.mirrors.entries()) {
      if (type !== 'containerd' && m.nodes) {
        problems.push({
          path: `registries[${i}].mirrors[${j}].nodes`,
          message: `a mirror's nodes are written into those nodes' hosts.toml by the containerd backend only, got backend ${type}; remove nodes (every node then lists the mirror)`,
        });
      }
      if (!isRealMirror(m.type)) continue;
      real.set(m.name, m.type);
      const path = `registries[${i}].mirrors[${j}]`;
      if (type !== 'containerd') {
        problems.push({
          path: `${path}.type`,
          message:
            m.type === 'external'
              ? `an external mirror is written into the nodes' hosts.toml by the containerd backend only in this build, got backend ${type}: use backend containerd (on kind, configure the nodes' mirror yourself, as the Spegel example does)`
              : `a ${m.type} mirror is started on this machine, next to embedded nodes; the ${type} backend cannot reach it yet: use backend containerd, or type stub`,
        });
      }
      if (r.tls && (m.type !== 'external' || m.external?.upstream)) {
        problems.push({
          path: `${path}.type`,
          message: `a ${m.type} mirror talks plain HTTP to registry ${r.name} in this build, got tls: true on the registry; set tls: false`,
        });
      }
      if (m.type === 'distribution' && m.credentials !== undefined && r.auth?.mode === 'basic') {
        problems.push({
          path: `${path}.credentials`,
          message: `distribution 2.8 sends proxy credentials only to a Bearer token realm (proxy/proxyauth.go keys them by realm), got registry ${r.name} with auth mode basic; use mode token`,
        });
      }
      if (m.type === 'nginx' && r.auth) {
        problems.push({
          path: `${path}.type`,
          message: `nginx caches anonymous answers only, got registry ${r.name} with auth; use type distribution with credentials`,
        });
      }
    }
  }
  for (const [i, f] of scenario.faults.entries()) {
    const mirror = f.scope.registry === undefined ? undefined : real.get(f.scope.registry);
    if (mirror === 'external') {
      problems.push({
        path: `faults[${i}].scope.registry`,
        message: `${f.scope.registry} is an external mirror: the harness neither runs it nor stands between it and the nodes, so it cannot inject ${f.fault} there; expected a fault scoped to the origin registry (which it fetches from through upstream), or run the mirror as type container`,
      });
      continue;
    }
    if (mirror === undefined || catalogueEntry(f.fault)?.factory.kind === 'net') continue;
    if (catalogueEntry(f.fault)?.nodeOnly) continue;
    problems.push({
      path: `faults[${i}].fault`,
      message: `${f.fault} acts on HTTP requests, which the ${mirror} mirror ${f.scope.registry} answers itself; expected a connection fault (refused, reset, latency, blackhole, bandwidth, …) on a real mirror, or scope it to the registry`,
    });
  }
  return problems;
}

/** One line per missing mirror binary, naming the package (empty when all are there). */
export function missingMirrorTools(scenario: Scenario): string[] {
  return missingMirrorBinaries(processMirrorTypes(scenario));
}

/** One line per external mirror this machine cannot use now (unreachable, unset password variable, unreadable CA). */
export async function unusableExternalMirrors(scenario: Scenario): Promise<string[]> {
  const externals = scenario.registries.flatMap((r) =>
    r.mirrors.flatMap((m) => (m.external ? [{ name: m.name, external: m.external }] : [])),
  );
  const found = await Promise.all(externals.map((m) => externalMirrorProblems(m.name, m.external)));
  return found.flat();
}

/** Why the scenario's container mirrors cannot start here (no Docker engine); empty when they can or there are none. */
export async function containerMirrorsMissing(scenario: Scenario): Promise<string[]> {
  if (!scenario.registries.some((r) => r.mirrors.some((m) => m.container))) return [];
  const { dockerStatus } = await import('../containers/docker.ts');
  const status = await dockerStatus();
  return status.available ? [] : [`a container mirror runs in Docker: ${status.reason}`];
}
