export const LAYERS: string[][];
export const NOT_YET_ENFORCED: [string, string][];
export function layerOf(path: string): string;
export function importsOf(source: string): string[];
export function checkLayers(srcDir: string, notYetEnforced?: [string, string][]): { problems: string[]; pending: Map<string, number> };
