import { describe, expect, it } from 'vitest';
import { ResponseProjection } from '../../../src/domain/responses/projection';
import { chatRequestForResponse, initialResponse } from '../../../src/domain/responses/request';
import {
  CODE_INTERPRETER_OUTPUTS_INCLUDE,
  codeInterpreterCallDone,
  codeInterpreterCallStarted,
  codeInterpreterOutputs,
  containerFileCitations,
  modelOutputOf,
} from '../../../src/domain/responses/code-interpreter-calls';
import type { CodeInterpreterCallItem, ResponseStreamEvent } from '../../../src/domain/responses/types';
import { ResponseCreateParams } from '../../../src/contract/responses';
import { validateResponseStreamEvent, validateSchema } from '../../support/openapi';

const CODE = "print('hi')\nopen('/mnt/data/out.csv', 'w').write('a')";
const ARGS = JSON.stringify({ code: CODE });
const FILES = new Map([['out.csv', 'cfile_1'], ['dir/plot.png', 'cfile_2']]);

const expectValid = (events: ResponseStreamEvent[]) => {
  for (const e of events) expect(validateResponseStreamEvent(e.type, e), e.type).toEqual([]);
};

describe('code_interpreter calls in a response', () => {
  it('items: the code from the arguments, in the container; outputs only with include; failed when the code raised', () => {
    const started = codeInterpreterCallStarted('ci_1', 'cntr_1', ARGS);
    expect(started).toEqual({ type: 'code_interpreter_call', id: 'ci_1', status: 'in_progress', container_id: 'cntr_1', code: CODE, outputs: null });
    const outputs = codeInterpreterOutputs('hi\n', ['data:image/png;base64,AAAA']);
    expect(outputs).toEqual([{ type: 'logs', logs: 'hi\n' }, { type: 'image', url: 'data:image/png;base64,AAAA' }]);
    expect(codeInterpreterCallDone(started, { status: 'ok', outputs }, [])).toMatchObject({ status: 'completed', outputs: null });
    expect(codeInterpreterCallDone(started, { status: 'ok', outputs }, [CODE_INTERPRETER_OUTPUTS_INCLUDE]).outputs).toEqual(outputs);
    expect(codeInterpreterCallDone(started, { status: 'error', outputs }, []).status).toBe('failed');
    expect(codeInterpreterCallDone(started, { status: 'timeout', outputs }, []).status).toBe('failed');
    for (const item of [started, codeInterpreterCallDone(started, { status: 'ok', outputs }, [CODE_INTERPRETER_OUTPUTS_INCLUDE])]) {
      expect(validateSchema('CodeInterpreterToolCall', item, 'responses')).toEqual([]);
    }
  });

  it('outputs: an image alone has no empty logs; nothing at all is an empty logs output', () => {
    expect(codeInterpreterOutputs('', ['data:image/png;base64,AA'])).toEqual([{ type: 'image', url: 'data:image/png;base64,AA' }]);
    expect(codeInterpreterOutputs('', [])).toEqual([{ type: 'logs', logs: '' }]);
  });

  it('container_file_citation: each sandbox link naming a container file, spanning the link', () => {
    const text = 'See [out](sandbox:/mnt/data/out.csv). Also sandbox:/mnt/data/dir/plot.png, not sandbox:/mnt/data/missing.txt.';
    const citations = containerFileCitations(text, 'cntr_1', FILES);
    const first = 'sandbox:/mnt/data/out.csv';
    const second = 'sandbox:/mnt/data/dir/plot.png';
    expect(citations).toEqual([
      { type: 'container_file_citation', container_id: 'cntr_1', file_id: 'cfile_1', filename: 'out.csv', start_index: text.indexOf(first), end_index: text.indexOf(first) + first.length },
      { type: 'container_file_citation', container_id: 'cntr_1', file_id: 'cfile_2', filename: 'plot.png', start_index: text.indexOf(second), end_index: text.indexOf(second) + second.length },
    ]);
    for (const c of citations) expect(validateSchema('ContainerFileCitationBody', c, 'responses')).toEqual([]);
  });

  it('what the model reads: logs, the timeout, saved images and files as sandbox links', () => {
    expect(modelOutputOf({ status: 'ok', logs: '' }, { images: [], files: [] }, 30)).toBe('[no output]');
    const text = modelOutputOf({ status: 'timeout', logs: 'partial\n' }, { images: ['ci_1-0.png'], files: ['out.csv'] }, 30);
    expect(text.split('\n')).toEqual([
      'partial',
      '[The execution was stopped after 30 seconds; the interpreter was restarted and its variables are lost.]',
      '[image displayed to the user, saved as sandbox:/mnt/data/ci_1-0.png]',
      '[file saved: sandbox:/mnt/data/out.csv]',
    ]);
  });

  it('the projection shows the call with OpenAI\'s events: in_progress, the code, interpreting, completed', () => {
    let n = 0;
    const response = initialResponse({ model: 'gpt-test', tools: [{ type: 'code_interpreter', container: 'auto' }] }, { id: 'resp_1', createdAt: 1_700_000_000, status: 'in_progress' });
    const p = new ResponseProjection(response, { message: () => `msg_${++n}`, functionCall: () => `fc_${++n}` });
    p.useHosted({ functions: new Set(['python']), annotate: (text) => containerFileCitations(text, 'cntr_1', FILES) });
    const events = [...p.start(), ...p.push({ type: 'tool_call', index: 0, id: 'call_1', name: 'python', argumentsDelta: ARGS }), ...p.push({ type: 'finish', reason: 'tool_calls' })];
    const { calls } = p.takeHostedCalls();
    const started = p.hostedCallStarted(codeInterpreterCallStarted('ci_1', 'cntr_1', calls[0]!.arguments));
    const item = p.response.output[started.index] as CodeInterpreterCallItem;
    expect(item.code).toBe(CODE);
    events.push(...started.events, ...p.hostedCallEnded(started.index, codeInterpreterCallDone(item, { status: 'ok', outputs: [{ type: 'logs', logs: 'hi\n' }] }, [])));
    events.push(...p.push({ type: 'text', delta: 'Saved sandbox:/mnt/data/out.csv' }), ...p.push({ type: 'finish', reason: 'stop' }), ...p.finish(1_700_000_005));
    expect(events.map((e) => e.type)).toEqual([
      'response.created', 'response.in_progress',
      'response.output_item.added', 'response.code_interpreter_call.in_progress', 'response.code_interpreter_call_code.delta',
      'response.code_interpreter_call_code.done', 'response.code_interpreter_call.interpreting', 'response.code_interpreter_call.completed',
      'response.output_item.done',
      'response.output_item.added', 'response.content_part.added', 'response.output_text.delta', 'response.output_text.done',
      'response.content_part.done', 'response.output_item.done', 'response.completed',
    ]);
    expectValid(events);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    expect(events[2]!.item).toMatchObject({ id: 'ci_1', status: 'in_progress', code: '' });
    expect(events[4]).toMatchObject({ item_id: 'ci_1', output_index: 0, delta: CODE });
    expect(events[5]).toMatchObject({ item_id: 'ci_1', code: CODE });
    const done = events.at(-1)!.response as typeof p.response;
    expect(done.output[0]).toMatchObject({ type: 'code_interpreter_call', status: 'completed', code: CODE, outputs: null });
    expect(done.output[1]).toMatchObject({ content: [{ annotations: [{ type: 'container_file_citation', file_id: 'cfile_1', start_index: 6 }] }] });
    expect(validateSchema('Response', done, 'responses')).toEqual([]);
  });

  it('the request: the tool is echoed, offered as the `python` function, and tool_choice can force it', () => {
    const params = ResponseCreateParams.parse({ model: 'gpt-test', input: 'x', tools: [{ type: 'code_interpreter', container: { type: 'auto', file_ids: ['file-1'] } }], tool_choice: { type: 'code_interpreter' } });
    expect(initialResponse(params, { id: 'resp_1', createdAt: 1, status: 'in_progress' }).tools).toEqual([{ type: 'code_interpreter', container: { type: 'auto', file_ids: ['file-1'] } }]);
    const request = chatRequestForResponse('gpt-test', params, [], { codeTimeoutSeconds: 30 });
    expect(request.tools!.map((t) => t.function.name)).toEqual(['python']);
    expect(request.tools![0]!.function.description).toContain('at most 30 seconds');
    expect(request.toolChoice).toEqual({ type: 'function', function: { name: 'python' } });
  });

  it('the tool refuses a container that is neither auto nor a container id, and unknown fields', () => {
    for (const container of ['', 'my-container', 'file-123', { type: 'auto', memory_limit: '2g' }, { type: 'manual' }, { type: 'auto', network_policy: { type: 'allowlist', allowed_domains: ['x.com'] } }]) {
      expect(ResponseCreateParams.safeParse({ model: 'm', tools: [{ type: 'code_interpreter', container }] }).success, JSON.stringify(container)).toBe(false);
    }
    expect(ResponseCreateParams.safeParse({ model: 'm', tools: [{ type: 'code_interpreter' }] }).success).toBe(false);
    expect(ResponseCreateParams.safeParse({ model: 'm', tools: [{ type: 'code_interpreter', container: 'auto', extra: 1 }] }).success).toBe(false);
    for (const container of ['auto', 'cntr_abc123', { type: 'auto' }, { type: 'auto', memory_limit: '4g', file_ids: [] }]) {
      expect(ResponseCreateParams.safeParse({ model: 'm', tools: [{ type: 'code_interpreter', container }] }).success, JSON.stringify(container)).toBe(true);
    }
  });
});
