// Projects and keys (admin key): projects (create, archive), a project's service accounts (create:
// the key value is shown once, here, and never stored), its API keys (revoke).
import { useEffect, useState } from 'preact/hooks';
import { del, get, post, type List } from '../api/client';
import { loadSession } from '../api/session';
import { ErrorBox, time } from '../ui/common';

interface Project { id: string; name: string; status: string; created_at: number }
interface ServiceAccount { id: string; name: string; created_at: number; api_key?: { id: string; value: string } }
interface ApiKey { id: string; name: string; redacted_value: string; created_at: number; last_used_at?: number | null; owner?: { type: string; service_account?: { id: string; name: string } } }

const enc = encodeURIComponent;

function ProjectKeys({ project }: { project: Project }) {
  const [accounts, setAccounts] = useState<ServiceAccount[]>([]);
  const [keys, setKeys] = useState<ApiKey[]>([]);
  const [name, setName] = useState('');
  const [created, setCreated] = useState<ServiceAccount | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = () => {
    get<List<ServiceAccount>>(`organization/projects/${enc(project.id)}/service_accounts`, { limit: 100 }).then((l) => setAccounts(l.data), setError);
    get<List<ApiKey>>(`organization/projects/${enc(project.id)}/api_keys`, { limit: 100 }).then((l) => setKeys(l.data), setError);
  };
  useEffect(load, [project.id]);
  const act = (p: Promise<unknown>) => p.then(load, setError);
  return (
    <div class="project-keys">
      <h3>{`${project.name} · ${project.id}`}</h3>
      <ErrorBox error={error} />
      <form
        class="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          post<ServiceAccount>(`organization/projects/${enc(project.id)}/service_accounts`, { name }).then((sa) => (setCreated(sa), setName(''), load()), setError);
        }}
      >
        <input aria-label="service account name" placeholder="service account name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
        <button type="submit" disabled={!name.trim()}>
          Create service account + key
        </button>
      </form>
      {created?.api_key ? (
        <div class="notice new-key">
          <strong>New key for {created.name}: copy it now, it is not shown again.</strong>
          <pre class="key-value">{created.api_key.value}</pre>
          <button type="button" onClick={() => setCreated(null)}>
            Done
          </button>
        </div>
      ) : null}
      <h4>Service accounts</h4>
      <table>
        <tbody>
          {accounts.map((a) => (
            <tr key={a.id}>
              <td>{a.name}</td>
              <td class="muted">{a.id}</td>
              <td>{time(a.created_at)}</td>
              <td>
                <button type="button" class="danger" onClick={() => confirm(`Delete ${a.name} and its keys?`) && act(del(`organization/projects/${enc(project.id)}/service_accounts/${enc(a.id)}`))}>
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h4>API keys</h4>
      <table>
        <tbody>
          {keys.map((k) => (
            <tr key={k.id} data-key-id={k.id}>
              <td class="mono">{k.redacted_value}</td>
              <td>{k.owner?.service_account?.name ?? k.name}</td>
              <td>{`last used ${time(k.last_used_at)}`}</td>
              <td>
                <button type="button" class="danger" onClick={() => confirm('Revoke this key?') && act(del(`organization/projects/${enc(project.id)}/api_keys/${enc(k.id)}`))}>
                  Revoke
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ProjectsPage() {
  const admin = loadSession()?.admin;
  const [projects, setProjects] = useState<Project[]>([]);
  const [selected, setSelected] = useState<Project | null>(null);
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>(null);
  const load = () => void get<List<Project>>('organization/projects', { limit: 100, include_archived: 'true' }).then((l) => setProjects(l.data), setError);
  useEffect(() => {
    if (admin) load();
  }, []);
  if (!admin) return <p class="notice">Projects and keys are managed with the admin key (ADMIN_API_KEY). Sign in with it to see them.</p>;
  return (
    <section>
      <header class="bar">
        <h2>Projects & keys</h2>
        <form class="inline-form" onSubmit={(e) => (e.preventDefault(), post('organization/projects', { name }).then(() => (setName(''), load()), setError))}>
          <input aria-label="new project name" placeholder="project name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
          <button type="submit" disabled={!name.trim()}>
            Create project
          </button>
        </form>
      </header>
      <ErrorBox error={error} />
      <table>
        <tbody>
          {projects.map((p) => (
            <tr key={p.id} class={selected?.id === p.id ? 'selected' : ''}>
              <td>
                <button type="button" class="link" onClick={() => setSelected(p)}>
                  {p.name}
                </button>
                <div class="muted">{p.id}</div>
              </td>
              <td>{p.status}</td>
              <td>{time(p.created_at)}</td>
              <td>
                {p.status === 'active' && p.id !== 'proj_default' ? (
                  <button type="button" class="danger" onClick={() => confirm(`Archive ${p.name}? Its keys stop working.`) && post(`organization/projects/${enc(p.id)}/archive`).then(load, setError)}>
                    Archive
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {selected ? <ProjectKeys project={selected} /> : null}
    </section>
  );
}
