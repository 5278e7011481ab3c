import { z } from 'zod';
import type { ComparisonFilter as ComparisonFilterType, CompoundFilter as CompoundFilterType, Filter } from './filter-types';

/**
 * Vector-store search / file_search `filters` (OpenAPI `ComparisonFilter` | `CompoundFilter`):
 * strict objects (`additionalProperties: false` in the spec, so an unknown key is
 * `Unknown parameter: 'filters.foo'.`), discriminated by `type`: `eq|ne|gt|gte|lt|lte|in|nin` make a
 * comparison, `and|or` a compound whose `filters` nest either kind. As in the spec, `value` may be a
 * string, number, boolean or an array of strings/numbers whatever the operator; how mismatches
 * evaluate is documented at `matchesFilter` (src/domain/ranking.ts). Nesting depth is bounded by
 * readJson's 64-level limit on request bodies.
 */
export const ComparisonFilter = z.strictObject({
  key: z.string(),
  type: z.enum(['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'nin']),
  value: z.union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number()]))]),
});

export const CompoundFilter = z.strictObject({
  type: z.enum(['and', 'or']),
  get filters(): z.ZodArray<z.ZodType<Filter>> {
    return z.array(VectorStoreSearchFilter);
  },
});

export const VectorStoreSearchFilter: z.ZodType<Filter> = z.discriminatedUnion('type', [ComparisonFilter, CompoundFilter]);
export type VectorStoreSearchFilter = Filter;

// The schema and the domain types must describe the same shapes.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameComparison: Same<z.infer<typeof ComparisonFilter>, ComparisonFilterType> = true;
const sameCompound: Same<z.infer<typeof CompoundFilter>, CompoundFilterType> = true;
void sameComparison;
void sameCompound;
