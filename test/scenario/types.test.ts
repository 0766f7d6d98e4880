import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  defineScenario,
  type Expectation,
  type ExpectationInput,
  type ScenarioInput,
  validate,
} from '../../harness/scenario/index.ts';
import { testContext } from './context.ts';

const base = {
  apiVersion: 'pullstorm.dev/v1alpha1',
  kind: 'Scenario',
  name: 'typed',
  workload: [{ kind: 'pod', name: 'a', image: 'registry/p/a:1' }],
} as const;

// These are compile-time tests: tsc fails when an @ts-expect-error line stops being an error.
describe('defineScenario', () => {
  it('returns its argument, typed as the model', () => {
    const scenario = defineScenario({ ...base, timeout: '1m' });
    expectTypeOf(scenario).toEqualTypeOf<ScenarioInput>();
    expect(scenario).toEqual({ ...base, timeout: '1m' });
    expect(validate(scenario, testContext).ok).toBe(true);
  });

  it('rejects at compile time what validation would reject at run time', () => {
    // @ts-expect-error misspelt top-level field
    defineScenario({ ...base, timeOut: '1m' });
    // @ts-expect-error for and clearAt together
    defineScenario({ ...base, faults: [{ fault: 'x', for: '1m', clearAt: '2m' }] });
    // @ts-expect-error a field of another expectation type
    defineScenario({ ...base, expectations: [{ type: 'detectedWithin', within: '1m', cause: 'dns' }] });
    // @ts-expect-error a wrong apiVersion
    defineScenario({ ...base, apiVersion: 'pullstorm.dev/v1' });
    // @ts-expect-error an unknown fixture
    defineScenario({ ...base, registries: [{ name: 'r', fixtures: { include: ['huge'] } }] });
  });

  it('gives expectations one tag to switch on', () => {
    expectTypeOf<ExpectationInput['type']>().toEqualTypeOf<Expectation['type']>();
  });
});
