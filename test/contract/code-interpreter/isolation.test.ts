// Sandbox isolation as seen through runs: thread B's code cannot open, list or find the file thread A's
// code wrote (per-thread sessions, hidden host directories), sees none of the worker's secrets in its
// environment, and has no network (not even the worker on 127.0.0.1).
import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import { pushScripts } from '../../support/upstream-control.js';
import { ciCallOf, ciSetup, expectCompleted, logsOf, MAJORS, python, toolMessagesSent } from './ci-support.js';

// The contract setup's CODE_EXECUTOR_TOKEN (test/support/global-setup.ts). Not imported: loading that module
// (wrangler) in a test file made the v4 SDK's requests fail (undici: "invalid content-length header").
const CONTRACT_CODE_EXECUTOR_TOKEN = 'contract-code-executor-token-0001';

/** Thread B's probe: prints one `RESULT <json>` line. `hostPaths`: where A's file really is on the host. */
function probe(threadA: string, hostPaths: string[], ports: number[]): string {
  return `
import glob, json, os, socket
threadA = ${JSON.stringify(threadA)}
found, controls = [], []
with open('/mnt/data/own-control.txt', 'w') as f:
    f.write('mine')
roots = ['/', '/mnt', '/tmp', '/var/tmp', '/dev/shm', '/home', '/root', '/run', '/srv', '/opt', '/work', '/var/lib', '/var/cache']
for root in roots:
    seen = 0
    for dirpath, dirnames, filenames in os.walk(root):
        seen += 1
        if root == '/':
            dirnames[:] = []
        if seen > 3000:
            break
        if 'secret.txt' in filenames or threadA in dirnames:
            found.append(dirpath)
        if 'own-control.txt' in filenames:
            controls.append(dirpath)
patterns = ['/mnt/*/secret.txt', '/mnt/*/*/secret.txt', '/tmp/*/secret.txt', '/tmp/*/*/secret.txt',
            '/tmp/assistants-edge-code-*/*/secret.txt', '/proc/*/cwd/secret.txt', '/proc/*/root/mnt/data/secret.txt',
            '/var/tmp/**/secret.txt', '/dev/shm/**/secret.txt']
globbed = sorted({p for pat in patterns for p in glob.glob(pat, recursive=True)})
control_glob = sorted(glob.glob('/mnt/*/own-control.txt'))
opened = {}
for path in ['/mnt/data/secret.txt', '/mnt/data/../' + threadA + '/secret.txt', '/mnt/' + threadA + '/secret.txt'] + ${JSON.stringify(hostPaths)}:
    try:
        with open(path) as f:
            opened[path] = 'READ:' + f.read()
    except Exception as e:
        opened[path] = type(e).__name__
env_text = '\\n'.join(f'{k}={v}' for k, v in os.environ.items())
try:
    with open('/proc/self/environ', 'rb') as f:
        env_text += '\\n' + f.read().decode('utf8', 'replace')
except Exception:
    pass
net = {}
for port in ${JSON.stringify(ports)}:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(1.5)
    try:
        s.connect(('127.0.0.1', port))
        net[str(port)] = 'CONNECTED'
    except Exception as e:
        net[str(port)] = type(e).__name__ + ': ' + str(e)
    finally:
        s.close()
print('RESULT ' + json.dumps({'found': found, 'controls': sorted(set(controls)), 'globbed': globbed, 'control_glob': control_glob, 'opened': opened, 'env_keys': sorted(os.environ), 'env_text': env_text, 'net': net}))
`;
}

describe.each(MAJORS)('code_interpreter sandbox isolation (SDK %s)', (major) => {
  it("thread B cannot read or find thread A's files, the host environment or the network", async () => {
    const a = await ciSetup('iso-a', major);
    const secret = `the-secret-${a.m}`;
    await pushScripts(a.m, python(`with open('/mnt/data/secret.txt', 'w') as f:\n    f.write(${JSON.stringify(secret)})\nprint(open('secret.txt').read())`), { text: 'Saved.' });
    const threadA = await a.api.createThread({ messages: [{ role: 'user', content: `Keep this ${a.m}` }] });
    const runA = await a.api.createAndPoll(threadA.id, { assistant_id: a.assistant.id });
    expectCompleted(runA);
    expect(logsOf(await ciCallOf(a.api, runA))).toBe(`${secret}\n`);

    // Control: the file exists on the host, in A's session directory (the local executor's layout).
    const hostPaths = readdirSync('/tmp')
      .filter((d) => d.startsWith('assistants-edge-code-'))
      .map((d) => `/tmp/${d}/${threadA.id}/secret.txt`)
      .filter((p) => existsSync(p));
    expect(hostPaths, 'where the executor keeps thread A\'s /mnt/data').toHaveLength(1);

    // B: another project (and so another thread and session).
    const b = await ciSetup('iso-b', major);
    const ports = [new URL(inject('baseURL')).port, new URL(inject('upstreamOrigin')).port, new URL(inject('codeExecutorUrl')).port].map(Number);
    await pushScripts(b.m, python(probe(threadA.id, hostPaths, ports)), { text: 'Nothing there.' });
    const threadB = await b.api.createThread({ messages: [{ role: 'user', content: `Look around ${b.m}` }] });
    const runB = await b.api.createAndPoll(threadB.id, { assistant_id: b.assistant.id });
    expectCompleted(runB);
    const logs = logsOf(await ciCallOf(b.api, runB));
    expect(logs).not.toContain(secret);
    const line = logs.split('\n').find((l) => l.startsWith('RESULT '));
    expect(line, logs).toBeDefined();
    const r = JSON.parse(line!.slice('RESULT '.length)) as {
      found: string[]; controls: string[]; globbed: string[]; control_glob: string[]; opened: Record<string, string>; env_keys: string[]; env_text: string; net: Record<string, string>;
    };
    // The probes work: they find B's own file (written by the probe) where it is.
    expect(r.controls).toEqual(['/mnt/data']);
    expect(r.control_glob).toEqual(['/mnt/data/own-control.txt']);
    expect(r.found).toEqual([]);
    expect(r.globbed).toEqual([]);
    expect(Object.keys(r.opened)).toHaveLength(3 + hostPaths.length);
    for (const [path, outcome] of Object.entries(r.opened)) expect(outcome, path).toMatch(/^(FileNotFoundError|PermissionError|NotADirectoryError)$/);

    for (const name of ['OPENAI_API_KEY', 'ADMIN_API_KEY', 'CODE_EXECUTOR_TOKEN', 'CODE_EXECUTOR_URL', 'OPENAI_BASE_URL', 'EMBEDDINGS_API_KEY']) {
      expect(r.env_keys).not.toContain(name);
    }
    for (const value of [inject('adminKey'), 'sk-upstream-test', 'sk-embeddings-test', CONTRACT_CODE_EXECUTOR_TOKEN, b.key.apiKey]) {
      expect(r.env_text).not.toContain(value);
    }

    expect(Object.keys(r.net)).toHaveLength(3);
    for (const [port, outcome] of Object.entries(r.net)) expect(outcome, `connect 127.0.0.1:${port}`).not.toBe('CONNECTED');

    // What the model got back is the same probe output, without A's secret.
    const tool = (await toolMessagesSent(b.m))[1]!;
    expect(tool[0]!.content).toContain('RESULT ');
    expect(tool[0]!.content).not.toContain(secret);
  });
});
