// The signed-in key lives in sessionStorage only: it ends with the tab, is never sent anywhere but
// this origin's API as `Authorization: Bearer`, and sign-out removes it.
const KEY = 'assistants-edge.key';
const PROJECT = 'assistants-edge.project';
const ADMIN = 'assistants-edge.admin';

export interface Session {
  key: string;
  /** Admin key only: the project it acts in (sent as `OpenAI-Project`). */
  project: string | null;
  admin: boolean;
}

export function loadSession(): Session | null {
  const key = sessionStorage.getItem(KEY);
  if (!key) return null;
  return { key, project: sessionStorage.getItem(PROJECT), admin: sessionStorage.getItem(ADMIN) === '1' };
}

export function saveSession(s: Session): void {
  sessionStorage.setItem(KEY, s.key);
  if (s.project) sessionStorage.setItem(PROJECT, s.project);
  else sessionStorage.removeItem(PROJECT);
  sessionStorage.setItem(ADMIN, s.admin ? '1' : '0');
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
  sessionStorage.removeItem(PROJECT);
  sessionStorage.removeItem(ADMIN);
}
