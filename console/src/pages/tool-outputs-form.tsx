// A run waiting on function calls: each call's name and arguments, a box for its output, submit.
import { useState } from 'preact/hooks';
import type { FunctionCall } from '../api/types';
import { ErrorBox } from '../ui/common';

export function ToolOutputsForm({ calls, onSubmit }: { calls: FunctionCall[]; onSubmit: (o: Array<{ tool_call_id: string; output: string }>) => Promise<void> }) {
  const [outputs, setOutputs] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onSubmit(calls.map((c) => ({ tool_call_id: c.id, output: outputs[c.id] ?? '' })));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="tool-outputs" onSubmit={submit}>
      <strong>The assistant called {calls.length === 1 ? 'a function' : `${calls.length} functions`}: answer with the output.</strong>
      {calls.map((c) => (
        <fieldset key={c.id}>
          <legend>{c.function.name}</legend>
          <pre>{c.function.arguments}</pre>
          <textarea aria-label={`output of ${c.function.name}`} rows={3} value={outputs[c.id] ?? ''} onInput={(e) => setOutputs({ ...outputs, [c.id]: e.currentTarget.value })} />
        </fieldset>
      ))}
      <ErrorBox error={error} />
      <button type="submit" disabled={busy}>
        Submit tool outputs
      </button>
    </form>
  );
}
