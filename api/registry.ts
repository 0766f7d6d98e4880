/**
 * The stub registry for people testing their own clients: fixture images seeded, faults applied
 * and cleared at run time with the same catalogue `pullstorm faults` prints.
 */
import { catalogueEntry, unknownFaultMessage } from '../registry-stubs/faults/catalogue.ts';
import type { FaultScope } from '../registry-stubs/faults/scope.ts';
import type { FaultSpec } from '../registry-stubs/faults/spec.ts';
import { type FixtureOptions, fixtureImages } from '../registry-stubs/fixtures/catalogue.ts';
import {
  type RunningRegistry,
  type StartRegistryOptions,
  startRegistry as startStub,
} from '../registry-stubs/index.ts';

export type { FaultScope, FaultSpec, RunningRegistry };

/** Options of {@link startRegistry}: the stub's own options plus `fixtures`. */
export interface RegistryOptions extends StartRegistryOptions {
  /**
   * Seed the fixture images (`pullstorm/tiny:1.0`, `pullstorm/multiarch:1.0`, …): `true` for all,
   * or which ones and how large; default `true` without `images`, else none.
   */
  fixtures?: boolean | FixtureOptions;
}

/**
 * Starts the stub OCI registry on loopback (port 0 picks a free one). Dispose it with
 * `await using` or `close()`.
 *
 * @example
 * ```ts
 * await using registry = await startRegistry({ fixtures: { include: ['tiny'] } });
 * await registry.faults.apply(fault('rate-limit', { limit: 2, style: 'generic' }));
 * await fetch(`${registry.url}/v2/pullstorm/tiny/manifests/1.0`); // … the third answers 429
 * ```
 */
export async function startRegistry(options: RegistryOptions = {}): Promise<RunningRegistry> {
  const { fixtures = options.images === undefined, ...rest } = options;
  const seeded = fixtures === false ? [] : fixtureImages(fixtures === true ? {} : fixtures);
  return startStub({ ...rest, images: [...(options.images ?? []), ...seeded] });
}

/**
 * A fault to apply (`registry.faults.apply(fault(…))`) or to put in a scenario's `faults:`
 * (`{ ...fault('server-error', { status: 503 }), at: '5s', for: '20s' }`). The name is checked
 * against the catalogue here; options are checked by the engine or the scenario validator, which
 * report every problem at once.
 *
 * @example fault('rate-limit', { limit: 10, windowSeconds: 60 }, { repository: 'pullstorm/tiny' })
 * @throws TypeError naming the closest catalogue entry for an unknown name.
 */
export function fault(name: string, options: Record<string, unknown> = {}, scope?: FaultScope): FaultSpec {
  if (catalogueEntry(name) === undefined) throw new TypeError(`fault: ${unknownFaultMessage(name)}`);
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(
      `fault: expected the options of '${name}' as an object, got ${JSON.stringify(options)}`,
    );
  }
  return { fault: name, options, ...(scope !== undefined && { scope }) };
}
