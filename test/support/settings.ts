// Worker settings for the test tiers. Every name the worker reads (scripts/settings.json) gets an explicit
// value, '' when a test does not set it: wrangler gives bindings passed in code precedence over
// .dev.vars/.env, so a developer's own .dev.vars (say, a real upstream key) never reaches a test.
import { readFileSync } from 'node:fs';

const catalog = JSON.parse(readFileSync(new URL('../../scripts/settings.json', import.meta.url), 'utf8')) as { settings: Array<{ name: string }> };
export const SETTING_NAMES: string[] = catalog.settings.map((s) => s.name);

/** `values` plus '' for every other setting (the worker's config reads '' as unset). */
export function isolatedSettings(values: Record<string, string>): Record<string, string> {
  const unknown = Object.keys(values).filter((k) => !SETTING_NAMES.includes(k));
  if (unknown.length) throw new Error(`not settings the worker reads (scripts/settings.json): ${unknown.join(', ')}`);
  return { ...Object.fromEntries(SETTING_NAMES.map((name) => [name, ''])), ...values };
}
