/**
 * Loads the vendored CRI v1 proto once and hands out its method definitions, so the client can
 * issue calls on one plain `grpc.Client` (one channel for both services) with typed wrappers.
 */
import { fileURLToPath } from 'node:url';
import type { MethodDefinition, PackageDefinition } from '@grpc/proto-loader';
import { loadSync } from '@grpc/proto-loader';

/** Path of the vendored `api.proto` (k8s.io/cri-api v1). */
export const criProtoPath: string = fileURLToPath(new URL('./api.proto', import.meta.url));

let cached: PackageDefinition | undefined;

function packageDefinition(): PackageDefinition {
  // keepCase false → camelCase fields; longs as String: int64 nanosecond timestamps exceed 2^53;
  // enums as String so states read `CONTAINER_EXITED`; defaults so absent scalars are zero values.
  cached ??= loadSync(criProtoPath, { keepCase: false, longs: String, enums: String, defaults: true });
  return cached;
}

/** CRI service names in the proto package `runtime.v1`. */
export type CriService = 'RuntimeService' | 'ImageService';

/** The method definition (path, serializers) of `runtime.v1.<service>/<method>`. */
export function criMethod(service: CriService, method: string): MethodDefinition<object, object> {
  const svc = packageDefinition()[`runtime.v1.${service}`] as
    | Record<string, MethodDefinition<object, object>>
    | undefined;
  const def = svc?.[method];
  if (!def) throw new TypeError(`CRI method runtime.v1.${service}/${method} is not in ${criProtoPath}`);
  return def;
}
