// Server-sent events from a streamed run (POST .../runs with stream: true, submit_tool_outputs with
// stream: true): fetch + a line parser, because EventSource cannot POST or send the key.
import { authHeaders, failure, API } from './client';

export interface StreamEvent {
  event: string;
  data: any;
}

/** POSTs `body` to `path` and calls `onEvent` for each event until the stream ends ([DONE] or close). */
export async function streamEvents(path: string, body: unknown, onEvent: (e: StreamEvent) => void, signal?: AbortSignal): Promise<void> {
  const res = await fetch(API + path, {
    method: 'POST',
    headers: authHeaders({ 'content-type': 'application/json', accept: 'text/event-stream' }),
    body: JSON.stringify(body),
    signal,
  });
  if (!res.ok || !res.body) throw await failure(res);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let event = 'message';
  let data: string[] = [];
  const dispatch = () => {
    if (data.length === 0) return;
    const text = data.join('\n');
    data = [];
    const name = event;
    event = 'message';
    if (text === '[DONE]') return;
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // error events may carry plain text; pass it on as is
    }
    onEvent({ event: name, data: parsed });
  };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let nl: number;
    while ((nl = buffer.search(/\r?\n/)) !== -1) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + (buffer[nl] === '\r' ? 2 : 1));
      if (line === '') dispatch();
      else if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
  }
  dispatch();
}
