/**
 * What a scenario's real mirrors need before anything starts: problems with the scenario as
 * written (exit 2) and binaries missing on the machine (exit 3, naming the package).
 */
import { catalogueEntry } from '../../registry-stubs/faults/catalogue.ts';
import type { Problem } from '../../vocab/problem.ts';
import type { Scenario } from '../scenario/resolved.ts';
import { isProcessMirror, missingMirrorBinaries } from './requirements.ts';

/** The scenario's mirror types the harness starts as processes. */
export function processMirrorTypes(scenario: Scenario): string[] {
  return scenario.registries.flatMap((r) => r.mirrors.map((m) => m.type)).filter(isProcessMirror);
}

/** Every reason the scenario's distribution and nginx mirrors cannot run as written. */
export function mirrorProblems(scenario: Scenario): Problem[] {
  const problems: Problem[] = [];
  const { type } = scenario.backend;
  const real = new Map<string, string>();
  for (const [i, r] of scenario.registries.entries()) {
    for (const [j, m] of r.mirrors.entries()) {
      if (!isProcessMirror(m.type)) continue;
      real.set(m.name, m.type);
      const path = `registries[${i}].mirrors[${j}]`;
      if (type !== 'containerd') {
        problems.push({
          path: `${path}.type`,
          message: `a ${m.type} mirror is started on this machine, next to embedded nodes; the ${type} backend cannot reach it yet: use backend containerd, or type stub`,
        });
      }
      if (r.tls) {
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
