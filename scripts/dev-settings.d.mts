export interface SettingEntry { value: string; source: string }
export type Settings = Record<string, SettingEntry>;
export const CATALOG: Array<{ name: string; secret: boolean; about: string }>;
export const LOCAL_ADMIN_KEY: string;
export const LOCAL_MCP_SECRETS_KEY: string;
export const SDK_NAMES: Set<string>;
export function parseDotenv(text: string): Record<string, string>;
export function resolveSettings(env?: Record<string, string | undefined>, devVarsPath?: string): { settings: Settings; ignored: string[]; devVarsFound: boolean };
export function upstreamBaseUrl(settings: Settings): SettingEntry | undefined;
export function selfReference(settings: Settings, port: number): string | undefined;
export function devPort(args: string[], fallback?: number): number;
export function writePrivateEnvFile(values: Record<string, string>): { path: string; remove: () => void };
