/** The configuration files written for the real mirrors (pure renderers). */
import { describe, expect, it } from 'vitest';
import { distributionConfig } from '../../harness/mirrors/distribution.ts';
import { nginxConfig } from '../../harness/mirrors/nginx.ts';

describe('mirror configuration', () => {
  it('points distribution proxy.remoteurl at the origin, with credentials only when given', () => {
    const anonymous = distributionConfig({ dir: '/m', port: 5001, origin: 'http://127.0.0.1:4000' });
    expect(anonymous).toContain('proxy:\n  remoteurl: "http://127.0.0.1:4000"\n');
    expect(anonymous).toContain('addr: 127.0.0.1:5001');
    expect(anonymous).toContain('rootdirectory: "/m/data"');
    expect(anonymous).not.toContain('username');
    const private_ = distributionConfig({
      dir: '/m',
      port: 5001,
      origin: 'http://127.0.0.1:4000',
      credentials: { username: 'ci', password: 'p"w' },
    });
    expect(private_).toContain('  username: "ci"\n  password: "p\\"w"\n');
  });

  it('caches by path in nginx, with the lock on unless turned off', () => {
    const on = nginxConfig({ dir: '/m', port: 5002, origin: 'http://127.0.0.1:4000' });
    expect(on).toContain('proxy_pass http://127.0.0.1:4000;');
    expect(on).toContain('proxy_cache_key $uri;');
    expect(on).toContain('proxy_cache_lock on;');
    expect(on).toContain('listen 127.0.0.1:5002;');
    expect(nginxConfig({ dir: '/m', port: 5002, origin: 'http://o', lock: false })).toContain(
      'proxy_cache_lock off;',
    );
  });
});
