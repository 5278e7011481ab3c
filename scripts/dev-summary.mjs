// The startup summary `npm run dev` prints once the server is ready: where to point a client, and what is
// configured (each value's source), or what is missing and which setting turns it on. Secrets are never
// printed, except the fixed local admin key that exists only for development.
import { LOCAL_ADMIN_KEY, upstreamBaseUrl } from './dev-settings.mjs';

const from = (entry, name) => `${name} from ${entry.source}`;

/** Lines of the summary (no trailing newline). `codeInterpreter` is a one-line description from dev.mjs. */
export function summaryLines({ origin, settings, ignored, codeInterpreter, embeddings }) {
  const s = settings;
  const rows = [];
  const row = (label, text) => rows.push(`  ${label.padEnd(18)}${text}`);

  row('API', `${origin}/v1   (OpenAI SDK: baseURL "${origin}/v1", apiKey: the admin key)`);
  row('console', `${origin}/`);
  row('docs', `${origin}/docs`);
  row(
    'admin key',
    s.ADMIN_API_KEY.value === LOCAL_ADMIN_KEY
      ? `${LOCAL_ADMIN_KEY}   (${s.ADMIN_API_KEY.source}; set ADMIN_API_KEY to change it)`
      : `set (${from(s.ADMIN_API_KEY, 'ADMIN_API_KEY')})`,
  );

  const providers = [];
  const base = upstreamBaseUrl(s);
  const key = s.UPSTREAM_OPENAI_API_KEY ?? s.OPENAI_API_KEY;
  if (base || key) {
    const baseName = s.UPSTREAM_OPENAI_BASE_URL ? 'UPSTREAM_OPENAI_BASE_URL' : 'OPENAI_BASE_URL';
    const keyName = s.UPSTREAM_OPENAI_API_KEY ? 'UPSTREAM_OPENAI_API_KEY' : 'OPENAI_API_KEY';
    providers.push(
      `OpenAI-compatible ${base ? `${base.value} (${from(base, baseName)})` : 'https://api.openai.com/v1 (default)'}, ` +
        `${key ? `key: ${from(key, keyName)}` : 'no key'}`,
    );
  }
  if (s.ANTHROPIC_API_KEY) providers.push(`Anthropic, key: ${from(s.ANTHROPIC_API_KEY, 'ANTHROPIC_API_KEY')}`);
  if (providers.length === 0) {
    row('models', 'none: runs and chat completions will fail until you set UPSTREAM_OPENAI_API_KEY (and UPSTREAM_OPENAI_BASE_URL');
    row('', 'for a server other than OpenAI, e.g. Ollama http://127.0.0.1:11434/v1) or ANTHROPIC_API_KEY');
  } else {
    providers.forEach((p, i) => row(i === 0 ? 'models' : '', p));
  }
  if (s.MODEL_ROUTES) row('', `routes: ${s.MODEL_ROUTES.value} (${from(s.MODEL_ROUTES, 'MODEL_ROUTES')})`);

  if (s.EMBEDDINGS_BASE_URL) {
    const model = s.EMBEDDINGS_MODEL ? s.EMBEDDINGS_MODEL.value : 'text-embedding-3-small (default)';
    row('embeddings', `${s.EMBEDDINGS_BASE_URL.value}, model ${model} (${from(s.EMBEDDINGS_BASE_URL, 'EMBEDDINGS_BASE_URL')})`);
  } else {
    row('embeddings', embeddings ?? 'none: file_search ranks by keywords only (set EMBEDDINGS_BASE_URL and EMBEDDINGS_API_KEY for vectors)');
  }
  row('code interpreter', codeInterpreter);
  for (const name of ignored) {
    row('ignored', `${name} from the shell: the OpenAI SDKs read it to find this server. For the model upstream use UPSTREAM_${name}.`);
  }
  return ['', 'assistants-edge is ready', ...rows, ''];
}
