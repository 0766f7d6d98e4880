/**
 * Reading a real mirror's log: the lines below are distribution 2.8.2's own, copied from a run
 * with a 2 MiB cache disk (December 2026), shortened only in their request ids.
 */
import { describe, expect, it } from 'vitest';
import { parseDistributionLine, parseDistributionStoreError } from '../../harness/mirrors/access-log.ts';

const STORE_ERROR =
  'time="2026-12-08T02:56:42.720560972Z" level=error msg="Error committing to storage: write /tmp/m/data/docker/registry/v2/repositories/pullstorm/large/_uploads/ef8e/data: no space left on device" go.version=go1.19.8 http.request.host="127.0.0.1:41197" http.request.id=12f4 http.request.method=GET http.request.remoteaddr="127.0.0.1:39164" http.request.uri="/v2/pullstorm/large/blobs/sha256:c9e1" vars.name=pullstorm/large';
const COMPLETED =
  'time="2026-12-08T02:56:42.898628096Z" level=info msg="response completed" go.version=go1.19.8 http.request.host="127.0.0.1:41197" http.request.id=755c http.request.method=GET http.request.remoteaddr="127.0.0.1:39158" http.request.uri=/v2/pullstorm/large/blobs/sha256:c9e1 http.request.useragent=node http.response.contenttype=application/octet-stream http.response.duration=227.009585ms http.response.status=200 http.response.written=4199255';

describe("distribution's log", () => {
  it('reads a failure to store a fetched blob (a full disk) as a store error, with its message', () => {
    expect(parseDistributionStoreError(STORE_ERROR)).toBe(
      'Error committing to storage: write /tmp/m/data/docker/registry/v2/repositories/pullstorm/large/_uploads/ef8e/data: no space left on device',
    );
    expect(parseDistributionLine(STORE_ERROR)).toBeUndefined();
  });

  it('reads the same request answered 200 with the whole blob, and that line is no store error', () => {
    expect(parseDistributionLine(COMPLETED)).toEqual({
      method: 'GET',
      path: '/v2/pullstorm/large/blobs/sha256:c9e1',
      status: 200,
      bytes: 4_199_255,
      durationMs: 227.009585,
    });
    expect(parseDistributionStoreError(COMPLETED)).toBeUndefined();
  });
});
