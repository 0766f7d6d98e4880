/**
 * distribution 2.8 (Debian's `docker-registry`) in proxy mode: a pull-through cache of the origin
 * (`proxy.remoteurl`), with filesystem storage in the mirror's own directory. With credentials it
 * answers the origin's Basic or Bearer challenge itself; nodes pull from it anonymously, as they do
 * from a pull-through cache in front of a private upstream.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type MirrorProcess, spawnMirror } from './process.ts';
import { MIRROR_BINARIES } from './requirements.ts';

/** Options of {@link distributionConfig}. */
export interface DistributionConfigOptions {
  /** The mirror's directory: storage goes to `<dir>/data`. */
  dir: string;
  /** Loopback port to listen on. */
  port: number;
  /** `http://host:port` of the origin. */
  origin: string;
  /** Origin credentials; default anonymous. */
  credentials?: { username: string; password: string };
}

const yamlString = (s: string) => JSON.stringify(s); // a JSON string is a valid YAML scalar

/** The config.yml (pure). */
export function distributionConfig(o: DistributionConfigOptions): string {
  const lines = [
    'version: 0.1',
    'log:',
    '  level: info',
    '  formatter: text',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${yamlString(join(o.dir, 'data'))}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: 127.0.0.1:${o.port}`,
    // A fixed secret silences the "no secret" warning; the mirror holds no upload sessions of worth.
    '  secret: pullstorm-mirror',
    'proxy:',
    `  remoteurl: ${yamlString(o.origin)}`,
  ];
  if (o.credentials) {
    lines.push(`  username: ${yamlString(o.credentials.username)}`);
    lines.push(`  password: ${yamlString(o.credentials.password)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Writes the config and starts `docker-registry serve`; resolves once `/v2/` answers. */
export async function startDistribution(
  o: DistributionConfigOptions & { name: string },
): Promise<MirrorProcess> {
  const config = join(o.dir, 'config.yml');
  await writeFile(config, distributionConfig(o), { mode: 0o600 });
  return spawnMirror({
    what: `mirror ${o.name} (distribution)`,
    bin: MIRROR_BINARIES.distribution.bin,
    args: ['serve', config],
    logFile: join(o.dir, 'mirror.log'),
    url: `http://127.0.0.1:${o.port}`,
  });
}
