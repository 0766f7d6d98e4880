/**
 * A kubeconfig file with one context, `staging`, whose API server is `server` (token auth), in a
 * fresh temp dir: for tests of the paths that load a real kubeconfig. Remove `dir` when done.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Writes the kubeconfig; a closed loopback port (`https://127.0.0.1:4`) makes every call refused. */
export async function stagingKubeconfig(
  server = 'https://127.0.0.1:4',
): Promise<{ dir: string; file: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'pullstorm-kubeconfig-'));
  const file = join(dir, 'kubeconfig');
  await writeFile(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      `clusters: [{ name: staging, cluster: { server: "${server}" } }]`,
      'users: [{ name: me, user: { token: abc } }]',
      'contexts: [{ name: staging, context: { cluster: staging, user: me } }]',
      'current-context: staging',
      '',
    ].join('\n'),
  );
  return { dir, file };
}
