// Vector-store search / file_search `filters` and file `attributes` as plain types: the wire shapes
// that src/contract/filters.ts validates and src/domain/ranking.ts evaluates (it re-exports them).

export type AttributeValue = string | number | boolean;
export type Attributes = Record<string, AttributeValue>;

export interface ComparisonFilter {
  key: string;
  type: 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'nin';
  value: string | number | boolean | Array<string | number>;
}

export interface CompoundFilter {
  type: 'and' | 'or';
  filters: Array<ComparisonFilter | CompoundFilter>;
}

export type Filter = ComparisonFilter | CompoundFilter;
