/**
 * Messages between the main thread and a pull worker (worker-host.ts): plain structured-clone data,
 * no functions or class instances, so a CriError crosses as its parts and is rebuilt on arrival.
 */
import type { AuthConfig } from '../../kubelet/image-service.ts';
import type { VirtualNodeStats } from './node.ts';
import type { VirtualNodeOptions } from './options.ts';

/** The node methods a worker runs for the main thread. */
export type NodeMethod = 'pullImage' | 'imageStatus' | 'listImages' | 'removeImage' | 'imageFsInfo';

/** Main thread → worker. */
export type ToWorker =
  | { type: 'create'; node: number; options: VirtualNodeOptions }
  | { type: 'call'; id: number; node: number; method: NodeMethod; args: [string?, { auth?: AuthConfig }?] }
  | { type: 'close'; id: number; node: number };

/** A failure as it crossed: a CriError's parts, or any other error's name and message. */
export type WireError =
  | { kind: 'cri'; method: string; code: number; details: string }
  | { kind: 'other'; name: string; message: string };

/** Worker → main thread: the answer to one `call` or `close`, with the node's counters after it. */
export type FromWorker =
  | { type: 'result'; id: number; value: unknown; stats: VirtualNodeStats }
  | { type: 'error'; id: number; error: WireError; stats: VirtualNodeStats };
