import { inject } from 'vitest';
import type OpenAI from 'openai';
import { makeClients } from '../../support/clients.js';
import { createProjectKey } from '../../support/tenancy.js';

export { marker } from '../runs/run-support.js';

/** The SDK majors with a Responses API: v6 and v7 share its call shapes. */
export const RESPONSE_MAJORS = ['v6', 'v7'] as const;
export type ResponseMajor = (typeof RESPONSE_MAJORS)[number];

/** A project of its own and a client of the given major on its key (v7 is typed as v6: same shapes). */
export async function responsesFixture(name: string, major: ResponseMajor) {
  const key = await createProjectKey(inject('baseURL'), inject('adminKey'), name);
  const clients = makeClients({ baseURL: inject('baseURL'), apiKey: key.apiKey });
  const client = (major === 'v6' ? clients.v6 : clients.v7) as unknown as OpenAI;
  return { client, raw: clients.rawFetch, key };
}

export const MODEL = 'gpt-4o-mini';
