// Per-test tenancy through our admin API (shaped like OpenAI's: projects and their service accounts).
// Each test file creates its own project and key, so tests never see each other's objects even though
// the worker and its storage are shared by the whole run.
import { validatingFetch } from './clients.js';

export interface ProjectKey {
  projectId: string;
  /** Bearer key for the SDK clients (service account key value). */
  apiKey: string;
  keyId: string;
}

interface Project { id: string }
interface ServiceAccount { id: string; api_key: { value: string; id: string } }

async function adminPost<T>(baseURL: string, adminKey: string, path: string, body: unknown): Promise<T> {
  // validatingFetch: admin routes are not in the OpenAI spec, but their errors must still be OpenAI-shaped.
  const res = await validatingFetch()(`${baseURL.replace(/\/+$/, '')}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`admin POST ${path} failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Create a project and a service account in it; returns the account's API key. */
export async function createProjectKey(baseURL: string, adminKey: string, name: string): Promise<ProjectKey> {
  const project = await adminPost<Project>(baseURL, adminKey, '/organization/projects', { name });
  if (typeof project.id !== 'string') throw new Error(`admin API: project without id: ${JSON.stringify(project)}`);
  const account = await adminPost<ServiceAccount>(
    baseURL,
    adminKey,
    `/organization/projects/${encodeURIComponent(project.id)}/service_accounts`,
    { name },
  );
  const key = account.api_key;
  if (typeof key?.value !== 'string') throw new Error(`admin API: service account without api_key.value: ${JSON.stringify(account)}`);
  return { projectId: project.id, apiKey: key.value, keyId: key.id };
}
