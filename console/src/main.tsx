// The console's entry: sign-in gate, navigation and the page for the current #/route.
import { render } from 'preact';
import { useEffect, useErrorBoundary, useState } from 'preact/hooks';
import { clearSession, loadSession, type Session } from './api/session';
import { useRoute } from './ui/router';
import { SignIn } from './pages/sign-in';
import { AssistantsPage } from './pages/assistants';
import { AssistantEditor } from './pages/assistant-editor';
import { Playground } from './pages/playground';
import { ThreadsPage } from './pages/threads';
import { ThreadDetail } from './pages/thread-detail';
import { FilesPage } from './pages/files';
import { VectorStoresPage } from './pages/vector-stores';
import { VectorStoreDetail } from './pages/vector-store-detail';
import { UsagePage } from './pages/usage';
import { ProjectsPage } from './pages/projects';
import './styles.css';

const NAV: Array<[string, string]> = [
  ['assistants', 'Assistants'],
  ['playground', 'Playground'],
  ['threads', 'Threads'],
  ['files', 'Files'],
  ['vector-stores', 'Vector stores'],
  ['usage', 'Usage'],
  ['projects', 'Projects & keys'],
];

function Page({ parts }: { parts: string[] }) {
  const [section = 'assistants', id] = parts;
  switch (section) {
    case 'assistants':
      return id ? <AssistantEditor id={id} /> : <AssistantsPage />;
    case 'playground':
      return <Playground />;
    case 'threads':
      return id ? <ThreadDetail id={id} /> : <ThreadsPage />;
    case 'files':
      return <FilesPage />;
    case 'vector-stores':
      return id ? <VectorStoreDetail id={id} /> : <VectorStoresPage />;
    case 'usage':
      return <UsagePage />;
    case 'projects':
      return <ProjectsPage />;
    default:
      return <p>Unknown page.</p>;
  }
}

/** A page that throws while rendering shows the error and a way back instead of a blank screen. */
function Guarded({ parts }: { parts: string[] }) {
  const [error, reset] = useErrorBoundary();
  if (error) {
    return (
      <div class="error" role="alert">
        {`This page failed: ${error instanceof Error ? error.message : String(error)}`}{' '}
        <button type="button" onClick={reset}>
          Retry
        </button>
      </div>
    );
  }
  return <Page parts={parts} />;
}

function App() {
  const [session, setSession] = useState<Session | null>(loadSession);
  const [notice, setNotice] = useState<string | null>(null);
  const route = useRoute();
  useEffect(() => {
    const out = (e: Event) => {
      setNotice((e as CustomEvent<string>).detail ?? 'Signed out');
      setSession(null);
    };
    addEventListener('console:signed-out', out);
    return () => removeEventListener('console:signed-out', out);
  }, []);
  if (!session) return <SignIn notice={notice} onSignedIn={(s) => (setNotice(null), setSession(s))} />;
  const section = route.parts[0] ?? 'assistants';
  return (
    <div class="shell">
      <nav>
        <strong class="brand">assistants-edge</strong>
        {NAV.map(([path, label]) => (
          <a key={path} href={`#/${path}`} class={section === path ? 'active' : ''}>
            {label}
          </a>
        ))}
        <div class="who">
          <span>{session.admin ? `admin · ${session.project ?? 'default project'}` : 'project key'}</span>
          <button
            type="button"
            onClick={() => {
              clearSession();
              setSession(null);
            }}
          >
            Sign out
          </button>
        </div>
      </nav>
      <main key={session.project ?? ''}>
        <Guarded key={route.parts.join('/')} parts={route.parts} />
      </main>
    </div>
  );
}

render(<App />, document.getElementById('app')!);
