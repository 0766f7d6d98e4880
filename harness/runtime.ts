/**
 * The one module that knows which JavaScript runtime it runs on (Node.js or Deno).
 * Everything else asks here instead of probing globals, so runtime differences stay in one place.
 */
declare const Deno: { version: { deno: string } } | undefined;

/** `deno` when running under Deno 2, otherwise `node`. */
export const runtimeName: 'deno' | 'node' = typeof Deno !== 'undefined' ? 'deno' : 'node';

/** Version string of the running runtime, e.g. `node 24.21.0` or `deno 2.9.6`. */
export function runtimeVersion(): string {
  return runtimeName === 'deno' && typeof Deno !== 'undefined'
    ? `deno ${Deno.version.deno}`
    : `node ${process.versions.node}`;
}
