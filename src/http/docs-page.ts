/**
 * `/docs`: a small, self-contained API reference page for `/v1/openapi.json`. Hand-written (no CDN,
 * no bundled framework) so it works offline and the Worker stays small: the script below fetches the
 * document and renders operations by tag, their parameters, request bodies and responses, with
 * schemas expandable in place (`$ref`s resolved on demand). Its CSP forbids every other origin.
 */
export const DOCS_CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:";

export const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>assistants-edge API reference</title>
<style>
  :root { --fg:#1b1f24; --muted:#57606a; --line:#d0d7de; --bg:#f6f8fa; --get:#0969da; --post:#1a7f37; --delete:#cf222e; }
  * { box-sizing: border-box; }
  body { margin:0; font:14px/1.5 system-ui, -apple-system, Segoe UI, sans-serif; color:var(--fg); display:flex; min-height:100vh; }
  nav { width:300px; flex:none; border-right:1px solid var(--line); padding:12px; overflow:auto; height:100vh; position:sticky; top:0; background:var(--bg); }
  nav h2 { font-size:12px; text-transform:uppercase; color:var(--muted); margin:16px 0 4px; }
  nav a { display:block; padding:2px 4px; color:inherit; text-decoration:none; border-radius:4px; white-space:nowrap; overflow:hidden; text-overflow:ellipsis; }
  nav a:hover { background:#eaeef2; }
  nav input { width:100%; padding:6px; border:1px solid var(--line); border-radius:6px; }
  main { flex:1; padding:16px 32px; max-width:1100px; }
  .op { border:1px solid var(--line); border-radius:8px; padding:12px 16px; margin:16px 0; }
  .m { display:inline-block; min-width:56px; font:bold 12px monospace; text-transform:uppercase; }
  .m.get { color:var(--get); } .m.post { color:var(--post); } .m.delete { color:var(--delete); }
  code, .path { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
  .path { font-size:15px; font-weight:600; }
  table { border-collapse:collapse; width:100%; margin:6px 0; }
  td, th { border-top:1px solid var(--line); padding:4px 8px; text-align:left; vertical-align:top; }
  .muted { color:var(--muted); }
  details { margin-left:14px; } summary { cursor:pointer; }
  .type { color:#8250df; font-family:monospace; }
  .req { color:var(--delete); font-size:11px; }
</style>
</head>
<body>
<nav><strong>assistants-edge</strong><div class="muted" id="version"></div><p><input id="filter" placeholder="Filter operations" aria-label="Filter operations"></p><div id="toc"></div></nav>
<main id="main"><p>Loading <code>/v1/openapi.json</code>…</p></main>
<script>
(async () => {
  const el = (tag, attrs = {}, ...kids) => {
    const n = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) k === 'class' ? (n.className = v) : n.setAttribute(k, v);
    for (const kid of kids) if (kid != null) n.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
    return n;
  };
  // Descriptions use backticks for code; everything else stays text (never innerHTML).
  const prose = (text) => {
    const p = el('div', { class: 'muted' });
    String(text || '').split('\`').forEach((part, i) => p.append(i % 2 ? el('code', {}, part) : document.createTextNode(part)));
    return p;
  };
  let doc;
  try {
    const res = await fetch('/v1/openapi.json');
    doc = await res.json();
  } catch (err) {
    document.getElementById('main').textContent = 'Could not load /v1/openapi.json: ' + err;
    return;
  }
  const resolve = (s) => {
    let name = null;
    while (s && s.$ref) { name = s.$ref.split('/').pop(); s = doc.components.schemas[name]; }
    return { schema: s || {}, name };
  };
  const typeOf = (s) => {
    const { schema, name } = resolve(s);
    if (name) return name;
    if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
    if (schema.type === 'array') return typeOf(schema.items || {}) + '[]';
    const alts = schema.anyOf || schema.oneOf;
    if (alts) return alts.map(typeOf).join(' | ');
    if (schema.allOf) return schema.allOf.map(typeOf).join(' & ');
    return Array.isArray(schema.type) ? schema.type.join(' | ') : (schema.type || 'any');
  };
  // A schema as a tree; nested schemas open on demand, so recursive schemas never loop.
  const schemaView = (s, depth = 0) => {
    const { schema } = resolve(s);
    const box = el('div');
    const props = schema.properties || {};
    const required = new Set(schema.required || []);
    const parts = [].concat(schema.allOf || [], schema.anyOf || [], schema.oneOf || []);
    if (schema.description && depth === 0) box.append(prose(schema.description));
    for (const [name, p] of Object.entries(props)) {
      const r = resolve(p).schema;
      const line = el('summary', {}, el('code', {}, name), ' ', el('span', { class: 'type' }, typeOf(p)), required.has(name) ? el('span', { class: 'req' }, ' required') : null);
      const d = el('details', {}, line);
      if (p.description || r.description) d.append(prose(p.description || r.description));
      const nested = r.properties || r.allOf || r.anyOf || r.oneOf || (r.type === 'array' && r.items);
      if (nested) d.addEventListener('toggle', () => { if (d.open && d.children.length < 3) d.append(schemaView(r.type === 'array' ? r.items : p, depth + 1)); }, { once: false });
      box.append(d);
    }
    if (!Object.keys(props).length && parts.length) {
      for (const part of parts) {
        const d = el('details', {}, el('summary', {}, el('span', { class: 'type' }, typeOf(part))));
        d.addEventListener('toggle', () => { if (d.open && d.children.length < 2) d.append(schemaView(part, depth + 1)); });
        box.append(d);
      }
    }
    if (schema.type === 'array' && schema.items && !Object.keys(props).length) box.append(schemaView(schema.items, depth + 1));
    return box;
  };
  const main = document.getElementById('main');
  const toc = document.getElementById('toc');
  main.textContent = '';
  document.getElementById('version').textContent = 'OpenAPI ' + doc.openapi + ' · ' + doc.info.version;
  main.append(el('h1', {}, doc.info.title), prose(doc.info.description));
  const byTag = new Map();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const tag = (op.tags && op.tags[0]) || 'Other';
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag).push({ path, method, op });
    }
  }
  const entries = [];
  for (const [tag, ops] of byTag) {
    toc.append(el('h2', {}, tag));
    main.append(el('h2', {}, tag));
    for (const { path, method, op } of ops) {
      const id = op.operationId || method + path;
      const link = el('a', { href: '#' + id }, el('span', { class: 'm ' + method }, method), ' ', path);
      toc.append(link);
      const box = el('section', { class: 'op', id }, el('div', {}, el('span', { class: 'm ' + method }, method), ' ', el('span', { class: 'path' }, '/v1' + path)), el('div', {}, op.summary || ''));
      if (op.description) box.append(prose(op.description));
      if (op.parameters && op.parameters.length) {
        const t = el('table', {}, el('tr', {}, el('th', {}, 'Parameter'), el('th', {}, 'In'), el('th', {}, 'Type'), el('th', {}, 'Description')));
        for (const p of op.parameters) t.append(el('tr', {}, el('td', {}, el('code', {}, p.name), p.required ? el('span', { class: 'req' }, ' required') : null), el('td', {}, p.in), el('td', { class: 'type' }, typeOf(p.schema || {})), el('td', {}, prose(p.description))));
        box.append(el('h4', {}, 'Parameters'), t);
      }
      const body = op.requestBody && op.requestBody.content;
      if (body) {
        const [type, media] = Object.entries(body)[0];
        box.append(el('h4', {}, 'Request body ', el('span', { class: 'muted' }, type)), schemaView(media.schema || {}));
      }
      for (const [status, r0] of Object.entries(op.responses || {})) {
        const r = r0.$ref ? doc.components.responses[r0.$ref.split('/').pop()] : r0;
        const media = r && r.content && Object.values(r.content)[0];
        const d = el('details', {}, el('summary', {}, el('strong', {}, status), ' ', (r && r.description) || '', media ? el('span', { class: 'type' }, ' ' + typeOf(media.schema || {})) : null));
        if (media && media.schema) d.addEventListener('toggle', () => { if (d.open && d.children.length < 2) d.append(schemaView(media.schema)); });
        box.append(d);
      }
      main.append(box);
      entries.push({ text: (method + ' ' + path + ' ' + (op.summary || '')).toLowerCase(), link, box });
    }
  }
  document.getElementById('filter').addEventListener('input', (e) => {
    const q = e.target.value.toLowerCase();
    for (const x of entries) { const show = x.text.includes(q); x.link.style.display = show ? '' : 'none'; x.box.style.display = show ? '' : 'none'; }
  });
  if (location.hash) document.getElementById(location.hash.slice(1))?.scrollIntoView();
})();
</script>
</body>
</html>`;
