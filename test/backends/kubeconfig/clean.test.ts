import { describe, expect, it } from 'vitest';
import { cleanClusterRuns, formatClusterClean } from '../../../harness/backends/kubeconfig/clean.ts';
import { FakeApi } from './fake-api.ts';

const api = () => {
  const a = new FakeApi();
  a.runNamespaces = [
    { name: 'pullstorm-rate-limit-1', runId: 'rate-limit-1', created: '2026-11-26T20:00:00.000Z' },
    { name: 'pullstorm-dns-2', runId: 'dns-2' },
  ];
  return a;
};

describe('pullstorm clean --context', () => {
  it('lists run namespaces and deletes nothing without a run id', async () => {
    const a = api();
    const report = await cleanClusterRuns(a);
    expect(report.deleted).toEqual([]);
    expect(a.deletes).toEqual([]);
    expect(formatClusterClean('staging', report)).toEqual([
      'cluster staging: 2 pullstorm run namespace(s); none deleted without --run-id (a run may still be going on elsewhere):',
      '  pullstorm-rate-limit-1  run rate-limit-1  created 2026-11-26T20:00:00.000Z',
      '  pullstorm-dns-2  run dns-2',
    ]);
  });

  it('deletes only the named run, by its run label', async () => {
    const a = api();
    const report = await cleanClusterRuns(a, { runId: 'dns-2' });
    expect(report.deleted).toEqual(['pullstorm-dns-2']);
    expect(a.deletes).toEqual([
      { kind: 'namespaces', namespace: '', labelSelector: 'pullstorm.run-id=dns-2' },
    ]);
    expect(formatClusterClean('staging', report, 'dns-2')).toEqual([
      'cluster staging: deleted namespace pullstorm-dns-2 of run dns-2',
    ]);
    const none = await cleanClusterRuns(a, { runId: 'gone-3' });
    expect(none.deleted).toEqual([]);
    expect(a.deletes).toHaveLength(1);
  });
});
