// Sign-in: a project key, or the admin key plus the project it acts in. The key is checked with
// GET /v1/models and kept in sessionStorage only.
import { useState } from 'preact/hooks';
import { ApiError, API } from '../api/client';
import { saveSession, type Session } from '../api/session';
import { ErrorBox, Field } from '../ui/common';

interface Project { id: string; name: string; status: string }

/** A request with the key being tried (not yet the session's). */
function probe(key: string, path: string): Promise<Response> {
  return fetch(API + path, { headers: { authorization: `Bearer ${key}`, 'OpenAI-Beta': 'assistants=v2' } });
}

async function messageOf(res: Response): Promise<string> {
  const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
  return body?.error?.message ?? `${res.status} ${res.statusText}`;
}

export function SignIn({ onSignedIn, notice }: { onSignedIn: (s: Session) => void; notice: string | null }) {
  const [key, setKey] = useState('');
  const [projects, setProjects] = useState<Project[] | null>(null);
  const [project, setProject] = useState('');
  const [error, setError] = useState<unknown>(notice ? new Error(notice) : null);
  const [busy, setBusy] = useState(false);

  const finish = (admin: boolean, projectId: string | null) => {
    const session = { key: key.trim(), admin, project: projectId };
    saveSession(session);
    onSignedIn(session);
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (projects) return finish(true, project || null);
      const models = await probe(key.trim(), 'models');
      if (!models.ok) throw new ApiError(models.status, await messageOf(models), null);
      // The admin API answers only the admin key: that is how the console tells the two apart.
      const admin = await probe(key.trim(), 'organization/projects?limit=100');
      if (admin.ok) {
        const list = (await admin.json()) as { data: Project[] };
        setProjects(list.data.filter((p) => p.status === 'active'));
        return;
      }
      finish(false, null);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="signin" onSubmit={submit}>
      <h1>assistants-edge console</h1>
      <p>Paste an API key of this server. It stays in this tab (sessionStorage) and is sent only to this server's API.</p>
      <Field label="API key">
        <input
          type="password"
          name="api-key"
          autoComplete="off"
          value={key}
          disabled={!!projects}
          onInput={(e) => setKey(e.currentTarget.value)}
          placeholder="sk-proj-… or the admin key"
        />
      </Field>
      {projects ? (
        <Field label="Project (admin key)">
          <select name="project" value={project} onChange={(e) => setProject(e.currentTarget.value)}>
            <option value="">Default project</option>
            {projects.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} ({p.id})
              </option>
            ))}
          </select>
        </Field>
      ) : null}
      <ErrorBox error={error} />
      <button type="submit" disabled={busy || !key.trim()}>
        {projects ? 'Open project' : 'Sign in'}
      </button>
    </form>
  );
}
