// A run step as it happens: function calls (name, arguments, output), file_search (query, results with
// scores, the chunk text), code_interpreter (code, logs, images inline). Also the step's status, time,
// tokens and last_error, for the thread's step timeline.
import type { RunStep, ToolCall } from '../api/types';
import { duration, JsonView } from './common';
import { FileImage } from './files';

function ToolCallView({ call }: { call: ToolCall }) {
  if (call.type === 'function') {
    return (
      <div class="tool function" data-tool="function">
        <strong>{`function ${call.function.name}`}</strong>
        <pre>{call.function.arguments}</pre>
        {call.function.output != null ? <pre class="output">{`→ ${call.function.output}`}</pre> : null}
      </div>
    );
  }
  if (call.type === 'file_search') {
    const results = call.file_search.results ?? [];
    return (
      <div class="tool file-search" data-tool="file_search">
        <strong>file_search</strong>
        {results.length === 0 ? <div class="muted">No results shown (yet).</div> : null}
        <ol>
          {results.map((r, i) => (
            <li key={i}>
              <span class="score">{r.score.toFixed(3)}</span> {r.file_name} <span class="muted">{r.file_id}</span>
              {r.content?.map((c, j) => <pre key={j} class="chunk">{c.text}</pre>)}
            </li>
          ))}
        </ol>
      </div>
    );
  }
  return (
    <div class="tool code" data-tool="code_interpreter">
      <strong>code_interpreter</strong>
      <pre class="code-input">{call.code_interpreter.input}</pre>
      {call.code_interpreter.outputs.map((o, i) =>
        o.type === 'logs' ? <pre key={i} class="logs">{o.logs}</pre> : <FileImage key={i} fileId={o.image.file_id} />,
      )}
    </div>
  );
}

export function StepView({ step }: { step: RunStep }) {
  const end = step.completed_at ?? step.failed_at ?? step.cancelled_at;
  return (
    <div class={`step ${step.status}`} data-step-id={step.id}>
      <div class="step-head">
        <span class={`badge ${step.status}`}>{step.status}</span> {step.type === 'tool_calls' ? 'tool calls' : 'message'}
        <span class="muted"> · {duration(step.created_at, end)}</span>
        {step.usage ? <span class="muted">{` · ${step.usage.total_tokens} tokens`}</span> : null}
      </div>
      {step.last_error ? <div class="error">{`${step.last_error.code}: ${step.last_error.message}`}</div> : null}
      {step.step_details.type === 'tool_calls' ? step.step_details.tool_calls.map((c, i) => <ToolCallView key={c?.id ?? i} call={c} />) : null}
      <JsonView value={step} />
    </div>
  );
}
