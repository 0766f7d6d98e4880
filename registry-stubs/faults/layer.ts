/**
 * The request path of the fault engine: one middleware in the registry's fault slot. With no
 * fault applied it is one length check. Otherwise each applied fault's scope and `wants` pick
 * the requests it touches (then `maxCount`, then a seeded draw for `probability`), and the chosen
 * faults run as a middleware chain in apply order, the first applied outermost. A fault's thrown
 * error becomes the response at its own level, so the faults outside it still see it (a rate
 * limit still adds its headers to an inner fault's 404). Every touched request is reported once
 * per fault (`fault.hit`) and carries the faults' names into its request event (`faults`).
 */

import type { FaultHit } from '../../vocab/fault-events.ts';
import { tokenForm } from '../auth/endpoint.ts';
import { clip } from '../bounded.ts';
import type { RegistryContext, RegistryMiddleware } from '../context.ts';
import { toRegistryError } from '../errors.ts';
import { replaceResponse } from './http.ts';
import type { HttpFault, HttpFaultActions } from './types.ts';

/** An applied HTTP fault as the layer sees it. */
export interface LayerEntry {
  readonly id: string;
  readonly fault: HttpFault;
  readonly actions: HttpFaultActions;
  readonly route?: string;
  readonly repository?: RegExp;
  readonly nodes?: ReadonlySet<string>;
  readonly clients?: (address: string) => boolean;
  readonly probability: number;
  readonly maxCount?: number;
  /** Draws for `probability` only. */
  readonly choose: () => number;
  /** Requests touched so far (reserved before the fault runs, returned if it leaves one alone). */
  count: number;
}

/** The layer and the setter the engine swaps the applied list with (copy on write, so requests in flight keep theirs). */
export function createLayer(now: () => number, emit: (event: FaultHit) => void) {
  let active: readonly LayerEntry[] = [];

  const eligible = (entry: LayerEntry, c: RegistryContext, repositories: readonly string[]): boolean => {
    if (entry.route !== undefined && c.get('route') !== entry.route) return false;
    const pattern = entry.repository;
    if (pattern !== undefined && !repositories.some((r) => pattern.test(r))) return false;
    if (entry.nodes !== undefined && !entry.nodes.has(c.get('endpoint') ?? '')) return false;
    if (entry.clients !== undefined && !entry.clients(c.get('client') ?? '')) return false;
    if (entry.actions.wants !== undefined && !entry.actions.wants(c)) return false;
    if (entry.maxCount !== undefined && entry.count >= entry.maxCount) return false;
    if (entry.probability < 1 && entry.choose() >= entry.probability) return false;
    entry.count++;
    return true;
  };

  const report = (entry: LayerEntry, c: RegistryContext, time: string) => {
    const hit: FaultHit = {
      kind: 'fault.hit',
      time,
      id: entry.id,
      fault: entry.fault.name,
      method: c.req.method,
      path: clip(c.req.path),
      route: c.get('route'),
    };
    const repository = c.get('repository');
    const optional = {
      repository: repository === undefined ? undefined : clip(repository),
      endpoint: c.get('endpoint'),
      client: c.get('client'),
    };
    for (const [key, value] of Object.entries(optional))
      if (value !== undefined) Object.assign(hit, { [key]: value });
    emit(hit);
  };

  const layer: RegistryMiddleware = async function faultLayer(c, next) {
    const applied = active;
    if (applied.length === 0) return next();
    const own = c.get('repository');
    // Only the token route needs a look at the request (its scope parameters, maybe a form body).
    const repositories =
      own !== undefined
        ? [own]
        : c.get('route') === 'token' && applied.some((e) => e.repository)
          ? await tokenRepositories(c)
          : [];
    const chosen = applied.filter((entry) => eligible(entry, c, repositories));
    if (chosen.length === 0) return next();
    const time = new Date(now()).toISOString();
    // A fault an outer one answered for never runs: it is not touched and gets its count back.
    const touched = chosen.map(() => false);
    const run = async (i: number): Promise<void> => {
      const entry = chosen[i];
      if (entry === undefined) return next();
      try {
        touched[i] = (await entry.actions.handle!(c, () => run(i + 1))) !== false;
      } catch (err) {
        touched[i] = true;
        c.error = err as Error;
        replaceResponse(c, toRegistryError(err).getResponse(c.req.method === 'HEAD'));
      }
    };
    await run(0);
    chosen.forEach((entry, i) => {
      if (!touched[i]) entry.count--;
    });
    const names: string[] = [];
    chosen.forEach((entry, i) => {
      if (!touched[i]) return;
      names.push(entry.fault.name);
      report(entry, c, time);
    });
    if (names.length > 0) c.set('faults', names);
  };

  return {
    layer,
    /** Replaces the applied list; entries without a request handler are left out. */
    setActive(entries: readonly LayerEntry[]) {
      active = entries.filter((e) => e.actions.handle !== undefined);
    },
  };
}

/**
 * The repositories a token request asks for in its `scope` parameters (query for GET, form body
 * for POST, read once with the token handler's ceiling, so the handler still reads it).
 */
async function tokenRepositories(c: RegistryContext): Promise<string[]> {
  const scopes =
    c.req.method === 'POST'
      ? new URLSearchParams(await tokenForm(c)).getAll('scope')
      : (c.req.queries('scope') ?? []);
  return scopes
    .flatMap((s) => s.split(' '))
    .map((s) => /^repository:(.+):[^:]*$/.exec(s)?.[1])
    .filter((name): name is string => name !== undefined);
}
