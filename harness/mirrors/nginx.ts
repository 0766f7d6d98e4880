/**
 * nginx (Debian's `nginx-light`) as a caching reverse proxy of the origin: `proxy_cache` keyed by
 * the path (containerd's `?ns=` query would split the cache by registry name otherwise),
 * successful answers kept 10 minutes, manifests by tag included — the trade-off a plain HTTP
 * cache makes, unlike distribution, which revalidates tags with the origin. `proxy_cache_lock`
 * (on by default here) lets one request per key fill the cache while the others wait.
 * nginx caches anonymous answers only, so an origin with auth needs distribution.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NGINX_LOG_FORMAT } from './access-log.ts';
import { type MirrorProcess, spawnMirror } from './process.ts';
import { MIRROR_BINARIES } from './requirements.ts';

/** Options of {@link nginxConfig}. */
export interface NginxConfigOptions {
  /** The mirror's directory: cache, temp files, pid and logs. */
  dir: string;
  port: number;
  /** `http://host:port` of the origin. */
  origin: string;
  /** `proxy_cache_lock`: coalesce concurrent misses of one key; default true. */
  lock?: boolean;
}

/** The nginx.conf (pure). */
export function nginxConfig(o: NginxConfigOptions): string {
  const d = (p: string) => join(o.dir, p);
  const lock = o.lock ?? true;
  return `# written by pullstorm for one run; nginx -c ${d('nginx.conf')}
daemon off;
master_process on;
worker_processes 1;
user root;
pid ${d('nginx.pid')};
error_log stderr info;
events { worker_connections 1024; }
http {
  log_format mirror '${NGINX_LOG_FORMAT}';
  access_log ${d('access.log')} mirror;
  client_body_temp_path ${d('tmp/body')};
  proxy_temp_path ${d('tmp/proxy')};
  fastcgi_temp_path ${d('tmp/fastcgi')};
  uwsgi_temp_path ${d('tmp/uwsgi')};
  scgi_temp_path ${d('tmp/scgi')};
  proxy_cache_path ${d('cache')} levels=1:2 keys_zone=mirror:10m max_size=2g inactive=1h use_temp_path=off;
  server {
    listen 127.0.0.1:${o.port};
    location /v2/ {
      proxy_pass ${o.origin};
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_cache mirror;
      proxy_cache_key $uri;
      proxy_cache_valid 200 10m;
      proxy_cache_lock ${lock ? 'on' : 'off'};
      proxy_cache_lock_timeout 60s;
      proxy_cache_lock_age 60s;
      proxy_cache_use_stale error timeout http_500 http_502 http_503 http_504;
      proxy_ignore_headers Cache-Control Expires Set-Cookie;
      add_header X-Cache-Status $upstream_cache_status always;
    }
  }
}
`;
}

/** Writes the config and starts nginx in the foreground; resolves once `/v2/` answers. */
export async function startNginx(o: NginxConfigOptions & { name: string }): Promise<MirrorProcess> {
  await mkdir(join(o.dir, 'tmp'), { recursive: true });
  await mkdir(join(o.dir, 'cache'), { recursive: true });
  const config = join(o.dir, 'nginx.conf');
  await writeFile(config, nginxConfig(o));
  return spawnMirror({
    what: `mirror ${o.name} (nginx)`,
    bin: MIRROR_BINARIES.nginx.bin,
    args: ['-c', config, '-p', o.dir],
    logFile: join(o.dir, 'mirror.log'),
    url: `http://127.0.0.1:${o.port}`,
  });
}
