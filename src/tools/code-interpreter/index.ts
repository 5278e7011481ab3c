import { codeOf, filePathsIn, PYTHON_FUNCTION, pythonToolDefinition, StreamingCodeField } from '../../domain/code/python-tool';
import { CodeExecutorUnavailableError } from '../../domain/ports';
import type { HostedTool } from '../hosted-tool';
import { answerPython, sandboxOutputsForMessage } from './answer';
import { codeInterpreterResponses } from './responses';

/**
 * OpenAI's `code_interpreter`: the `python` function, run in the thread's sandbox (one session per
 * thread); its input streams as `code_interpreter.input` deltas, its images become `image_file`
 * parts of the next message and links to files it wrote `file_path` annotations.
 */
export const codeInterpreter: HostedTool = {
  type: 'code_interpreter',
  functionName: PYTHON_FUNCTION,

  // Offered whenever the run has the tool; with no sandbox configured the call fails the run
  // (CodeExecutorUnavailableError), and the model is told a limit of 0 seconds.
  async offer(run, projectId, ports) {
    if (!run.tools.some((t) => t.type === 'code_interpreter')) return null;
    return {
      definitions: [pythonToolDefinition(ports.code()?.timeoutSeconds ?? 0)],
      async answer(step, calls, callSignal) {
        const sandbox = ports.code();
        if (!sandbox) throw new CodeExecutorUnavailableError('The code interpreter is not available: no sandbox is configured (CODE_EXECUTOR_URL, or the SANDBOX binding in production).');
        const host = { ...sandbox, db: ports.db(), bucket: ports.files, sql: ports.sql, emit: ports.emit };
        return answerPython(host, run, projectId, step, calls, ports.hostedCalls, callSignal);
      },
    };
  },

  step: {
    start: (id) => ({ id, type: 'code_interpreter', code_interpreter: { input: '', outputs: [] } }),
    // The code streams as `code_interpreter.input` deltas, decoded from the JSON arguments.
    argumentStream() {
      const field = new StreamingCodeField();
      return (fragment) => {
        const input = field.push(fragment);
        return input ? { type: 'code_interpreter', code_interpreter: { input } } : null;
      };
    },
    pending: (id, args) => ({ id, type: 'code_interpreter', code_interpreter: { input: codeOf(args), outputs: [] } }),
  },

  messageOutputs(runId, text, ports) {
    const outputs = sandboxOutputsForMessage(ports.sql, runId);
    return { annotations: filePathsIn(text, outputs.files), imageFileIds: outputs.images };
  },

  responses: codeInterpreterResponses,
};
