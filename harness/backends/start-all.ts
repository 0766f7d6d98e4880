/**
 * Starting n nodes of one kind at once, all or nothing: every start runs in parallel; when any fails,
 * the ones that started are stopped and one AggregateError names every failure (a start's and a
 * stop's). The result is disposable (`await using`), stopping every node.
 */

/** Starts `n` nodes with `start(i)`; `what` names them in errors (e.g. `containerd nodes`). */
export async function startAll<T extends { stop(): Promise<void> }>(
  n: number,
  start: (index: number) => Promise<T>,
  what: string,
): Promise<T[] & AsyncDisposable> {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`expected a node count ≥ 1, got ${n}`);
  const settled = await Promise.allSettled(Array.from({ length: n }, (_, i) => start(i)));
  const nodes = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const stopAll = async () => {
    const results = await Promise.allSettled(nodes.map((node) => node.stop()));
    const errors = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    if (errors.length)
      throw new AggregateError(errors, `stopping ${errors.length} of ${nodes.length} nodes failed`);
  };
  const failures = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason] : []));
  if (failures.length) {
    await stopAll().catch((error: unknown) => failures.push(error));
    throw new AggregateError(failures, `${failures.length} of ${n} ${what} failed to start`);
  }
  return Object.assign(nodes, { [Symbol.asyncDispose]: stopAll });
}
