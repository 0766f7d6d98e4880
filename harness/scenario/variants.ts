/**
 * `variants:` — named overrides of one scenario, for comparing remedies side by side (no cache,
 * a mirror, pre-pulled images, …). Each variant replaces the top-level fields it names
 * (`registries`, `workload`, `faults`, `expectations`, `backend`, `images`, `timeout`) wholesale
 * and becomes a scenario of its own, `<name>-<variant>`, validated like any other, so a runner
 * runs each on fresh nodes. Replacing rather than deep-merging keeps a variant readable on its
 * own: what it says is what runs.
 */
import { at, type Problem } from '../../vocab/problem.ts';

/** Fields a variant may set. */
export const VARIANT_FIELDS = [
  'name',
  'description',
  'backend',
  'registries',
  'images',
  'workload',
  'faults',
  'expectations',
  'timeout',
] as const;

/** One variant's scenario document and the names it came from. */
export interface VariantDocument {
  /** The scenario's own name. */
  of: string;
  /** The variant's name. */
  variant: string;
  doc: Record<string, unknown>;
}

const LABEL = /^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$/;

/**
 * The documents of `doc`'s variants, or problems with `variants` itself (the variants' contents
 * are checked later, each as a scenario). Undefined when `doc` has no `variants`.
 */
export function expandVariants(doc: unknown): VariantDocument[] | Problem[] | undefined {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return undefined;
  const { variants, ...base } = doc as Record<string, unknown>;
  if (variants === undefined || variants === null) return undefined;
  if (!Array.isArray(variants) || variants.length < 2) {
    return [{ path: 'variants', message: 'expected a list of at least two variants to compare' }];
  }
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const out: VariantDocument[] = [];
  const of = typeof base.name === 'string' ? base.name : 'scenario';
  for (const [i, v] of variants.entries()) {
    const path = at('variants', i);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      problems.push({ path, message: 'expected a mapping with a name and the fields it overrides' });
      continue;
    }
    const record = v as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (!(VARIANT_FIELDS as readonly string[]).includes(key)) {
        problems.push({
          path: at(path, key),
          message: `unknown field; expected one of ${VARIANT_FIELDS.join(', ')}`,
        });
      }
    }
    const name = record.name;
    if (typeof name !== 'string' || !LABEL.test(name)) {
      problems.push({
        path: at(path, 'name'),
        message: `expected a short DNS label, got ${JSON.stringify(name)}`,
      });
      continue;
    }
    if (seen.has(name))
      problems.push({
        path: at(path, 'name'),
        message: `expected a name no other variant has, got '${name}'`,
      });
    seen.add(name);
    const { name: _, description, ...overrides } = record;
    out.push({
      of,
      variant: name,
      doc: {
        ...base,
        ...overrides,
        name: `${of}-${name}`,
        description:
          typeof description === 'string' ? description : `${base.description ?? of} (variant ${name})`,
      },
    });
  }
  return problems.length > 0 ? problems : out;
}
