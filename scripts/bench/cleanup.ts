/**
 * What a benchmark started and must stop even when it is interrupted: `finally` blocks cover errors,
 * this covers Ctrl-C and SIGTERM, which would otherwise leave containerd mounts and directories behind.
 */

const pending = new Set<() => Promise<void>>();
let installed = false;
let stopping = false;

async function onSignal(signal: NodeJS.Signals): Promise<void> {
  if (stopping) process.exit(signal === 'SIGINT' ? 130 : 143); // a second Ctrl-C: give up at once
  stopping = true;
  process.stderr.write(`\nbench: ${signal}, stopping ${pending.size} resource group(s)…\n`);
  const all = [...pending].reverse();
  pending.clear();
  const results = await Promise.allSettled(all.map((stop) => stop()));
  for (const r of results)
    if (r.status === 'rejected') process.stderr.write(`bench: cleanup failed: ${String(r.reason)}\n`);
  process.exit(signal === 'SIGINT' ? 130 : 143);
}

/**
 * Waits for `acquire`, runs `body` with what it gives, then `stop`s it whatever happens; a signal
 * from the moment `acquire` starts stops it too (after it settles: a half-started node set stops
 * itself, a started one is ours). `stop` must be idempotent: it may run from both paths.
 */
export async function withCleanup<R, T>(
  acquire: Promise<R>,
  stop: (r: R) => Promise<void>,
  body: (r: R) => Promise<T>,
): Promise<T> {
  if (!installed) {
    installed = true;
    // `on`, never `once`: execa's signal-exit re-raises a signal when no other listener is left,
    // which would kill the process before the nodes are torn down.
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  const entry = async () => {
    const resource = await acquire.then(
      (r) => ({ r }),
      () => undefined,
    );
    if (resource) await stop(resource.r);
  };
  pending.add(entry);
  let resource: R;
  try {
    resource = await acquire;
  } catch (err) {
    pending.delete(entry);
    throw err;
  }
  try {
    return await body(resource);
  } finally {
    pending.delete(entry);
    await stop(resource);
  }
}
