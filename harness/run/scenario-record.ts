/**
 * The scenario as `run.started` records it. A `type: container` mirror's `env` values and `files`
 * contents configure someone else's program (a proxy password in `REGISTRY_PROXY_PASSWORD`, a Zot
 * config holding credentials), and no field name tells a secret apart there, so the record keeps
 * each key and replaces every value with `[redacted]`. The values of env names that look like a
 * credential are also handed to the event log as known secrets, scrubbed wherever they appear (a
 * mirror's log tail in an error, for one).
 */
import { REDACTED } from '../analyze/redact.ts';
import type { Mirror, Scenario } from '../scenario/resolved.ts';

/** Env names whose values are credentials: `…PASSWORD`, `…_TOKEN`, `…SECRET`, `…_KEY`, `…AUTH…`. */
const CREDENTIAL_NAME = /pass|token|secret|key|credential|auth/i;

/** The record of one mirror: a container mirror's env values and file contents redacted. */
function recordedMirror(mirror: Mirror): Mirror {
  if (!mirror.container) return mirror;
  const { env, files } = mirror.container;
  return {
    ...mirror,
    container: {
      ...mirror.container,
      env: Object.fromEntries(Object.keys(env).map((key) => [key, REDACTED])),
      files: Object.fromEntries(Object.keys(files).map((path) => [path, REDACTED])),
    },
  };
}

/** `scenario` as the log records it, and the secret values the log must scrub from any text. */
export function scenarioRecord(scenario: Scenario): { scenario: Scenario; secrets: string[] } {
  const secrets = scenario.registries.flatMap((r) =>
    r.mirrors.flatMap((m) =>
      Object.entries(m.container?.env ?? {}).flatMap(([key, value]) =>
        CREDENTIAL_NAME.test(key) && value !== '' ? [value] : [],
      ),
    ),
  );
  const hasContainer = scenario.registries.some((r) => r.mirrors.some((m) => m.container));
  if (!hasContainer) return { scenario, secrets };
  return {
    scenario: {
      ...scenario,
      registries: scenario.registries.map((r) => ({ ...r, mirrors: r.mirrors.map(recordedMirror) })),
    },
    secrets,
  };
}
