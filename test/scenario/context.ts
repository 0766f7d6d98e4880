/**
 * A stand-in fault catalogue for the scenario tests. The real one belongs to the fault engine;
 * these few faults only need option checks that behave like it will (unknown options rejected,
 * every problem at its path), and the real classifier causes.
 */
import { CAUSE_IDS } from '../../harness/classify/index.ts';
import {
  at,
  type FaultDefinition,
  type Problem,
  type ScenarioContext,
} from '../../harness/scenario/index.ts';

type OptionCheck = (value: unknown) => string | undefined;

const positiveInteger: OptionCheck = (v) =>
  Number.isInteger(v) && (v as number) > 0 ? undefined : 'expected a positive integer';
const durationText: OptionCheck = (v) =>
  typeof v === 'string' && /^(\d+(ms|s|m|h))+$/.test(v) ? undefined : 'expected a duration such as 30s';
const oneOf =
  (...values: string[]): OptionCheck =>
  (v) =>
    values.includes(v as string) ? undefined : `expected one of ${values.join(', ')}`;

/** A fault whose options are `checks`; those in `required` must be present. */
function fault(checks: Record<string, OptionCheck> = {}, required: string[] = []): FaultDefinition {
  return {
    validate(options, path) {
      const problems: Problem[] = [];
      const record = options as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        if (!(key in checks)) problems.push({ path: at(path, key), message: 'unknown option' });
      }
      for (const [key, check] of Object.entries(checks)) {
        const value = record[key];
        if (value === undefined) {
          if (required.includes(key))
            problems.push({ path: at(path, key), message: 'required option missing' });
          continue;
        }
        const wrong = check(value);
        if (wrong) problems.push({ path: at(path, key), message: `${wrong}, got ${JSON.stringify(value)}` });
      }
      return problems;
    },
  };
}

/** The test catalogue: a few faults of each kind, and the classifier's causes. */
export const testContext: ScenarioContext = {
  faults: {
    'auth-no-credentials': fault(),
    'rate-limit': fault(
      {
        limit: positiveInteger,
        window: durationText,
        per: oneOf('client', 'credential'),
        retryAfter: durationText,
      },
      ['limit'],
    ),
    'registry-down': fault({ status: positiveInteger }),
    'tag-overwrite': fault({ repository: (v) => (typeof v === 'string' ? undefined : 'expected a string') }),
    'tls-unknown-ca': fault(),
    'disk-full': fault(),
    latency: fault({ delay: durationText }, ['delay']),
  },
  causes: CAUSE_IDS,
};
