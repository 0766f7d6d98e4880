/**
 * A container mirror's env values and file contents never reach the event log: the scenario that
 * run.started records keeps their keys only, and the values of credential-looking env names are
 * scrubbed from any later text (a mirror's log tail in an error).
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventLog } from '../../harness/analyze/log.ts';
import type { LogEvent } from '../../harness/events/run-events.ts';
import { scenarioRecord } from '../../harness/run/scenario-record.ts';
import type { Scenario } from '../../harness/scenario/resolved.ts';

const scenario = {
  name: 'cache',
  registries: [
    {
      name: 'registry',
      mirrors: [
        { name: 'plain', type: 'distribution' },
        {
          name: 'zot',
          type: 'container',
          container: {
            image: 'zot:local',
            port: 5000,
            env: { REGISTRY_PROXY_REMOTEURL: '{{origin}}', REGISTRY_PROXY_PASSWORD: 'hunter2-proxy' },
            files: { '/etc/zot/config.json': '{"credentials":{"password":"hunter3-zot"}}' },
          },
        },
      ],
    },
  ],
} as unknown as Scenario;

describe('the scenario run.started records', () => {
  it('keeps a container mirror’s env names and file paths, every value redacted; other mirrors as they are', () => {
    const { scenario: recorded, secrets } = scenarioRecord(scenario);
    const [plain, zot] = recorded.registries[0]!.mirrors;
    expect(plain).toBe(scenario.registries[0]!.mirrors[0]);
    expect(zot!.container).toEqual({
      image: 'zot:local',
      port: 5000,
      env: { REGISTRY_PROXY_REMOTEURL: '[redacted]', REGISTRY_PROXY_PASSWORD: '[redacted]' },
      files: { '/etc/zot/config.json': '[redacted]' },
    });
    // Only credential-looking names are scrubbed from free text: `{{origin}}` must survive elsewhere.
    expect(secrets).toEqual(['hunter2-proxy']);
    // The scenario the run uses is untouched.
    expect(scenario.registries[0]!.mirrors[1]!.container!.env.REGISTRY_PROXY_PASSWORD).toBe('hunter2-proxy');
  });

  it('through the event log: neither value is written, and the password is scrubbed from a later error', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'pullstorm-record-')), 'events.jsonl');
    const { scenario: recorded, secrets } = scenarioRecord(scenario);
    const log = await EventLog.open(path, { secrets });
    log.append({ kind: 'run.started', time: 't', runId: 'r', scenario: recorded } as unknown as LogEvent);
    log.append({
      kind: 'run.error',
      time: 't',
      message: 'mirror zot never answered: auth with hunter2-proxy failed',
    } as unknown as LogEvent);
    await log.close();
    const text = await readFile(path, 'utf8');
    expect(text).not.toMatch(/hunter2|hunter3/);
    expect(text).toContain('auth with [redacted] failed');
  });
});
