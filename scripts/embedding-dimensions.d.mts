export const OPENAI_DIMENSIONS: Record<string, number>;
export const WORKERS_AI_DIMENSIONS: Record<string, number>;
export function indexDimensions(vars: Record<string, string | undefined>, hasAiBinding?: boolean): { dimensions: number; why: string };
