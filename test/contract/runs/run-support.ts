import { inject } from 'vitest';
import { makeClients } from '../../support/clients.js';
import { createProjectKey } from '../../support/tenancy.js';

let n = 0;
/** A marker unique to one test: put in its messages so the scripted upstream serves its scripts. */
export const marker = (label: string) => `[${label}-${process.pid}-${Date.now().toString(36)}-${(n++).toString(36)}]`;

/** A project of its own, SDK clients on its key, and an assistant to run. */
export async function runFixture(name: string, assistant: Record<string, unknown> = {}) {
  const key = await createProjectKey(inject('baseURL'), inject('adminKey'), name);
  const clients = makeClients({ baseURL: inject('baseURL'), apiKey: key.apiKey });
  const asst = await clients.v6.beta.assistants.create({ model: 'gpt-4o-mini', instructions: 'You are terse.', ...assistant });
  return { ...clients, key, assistant: asst };
}
