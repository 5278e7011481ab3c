export interface ScopedTable {
  ident: string;
  sqlName: string;
}
export const RAW_SQL_SCOPES: { file: string; decl: string; scope: string }[];
export const NOT_YET_MOVED: string[];
export function projectScopedTables(schemaSource: string): ScopedTable[];
export function projectScopedTablesIn(root: string): ScopedTable[];
export function declarationsOf(source: string): { name: string; start: number; end: number }[];
export function checkSource(path: string, source: string, tables: ScopedTable[]): { problems: string[]; raws: Set<string> };
export function checkProjectScope(root: string): { problems: string[]; pending: string[]; tables: ScopedTable[] };
