/**
 * Every registry user of a scenario as an image pull secret in the run's namespace, named as the
 * embedded cluster names them (`<registry>-<user>`, backends/names.ts), for the host the nodes pull
 * from — which differs by backend (kind: `<registry>.pullstorm.test:5000`; an existing cluster:
 * `localhost:<nodePort>`), so the caller says where each registry is.
 */

import type { Registry } from '../../scenario/resolved.ts';
import { pullSecretName } from '../names.ts';
import type { KubeApi } from './api.ts';
import { type ManifestContext, pullSecretManifest } from './manifests.ts';

/** Creates the pull secrets of `registries`; `hostOf(name)` is the registry's host as nodes use it. */
export async function createPullSecrets(
  api: KubeApi,
  registries: readonly Registry[],
  hostOf: (registry: string) => string,
  ctx: ManifestContext,
): Promise<void> {
  for (const r of registries) {
    const host = hostOf(r.name);
    for (const u of r.auth?.users ?? [])
      await api.createSecret(
        ctx.namespace,
        pullSecretManifest(pullSecretName(r.name, u.username), host, u, ctx),
      );
  }
}
