import type { ChatMessage } from '../../domain/ports';
import type { HostedFunctionCall } from '../../domain/responses/hosted-calls';
import type { HostedOptions } from '../../domain/responses/projection';
import type { ResponseObject } from '../../domain/responses/types';
import type { Env } from '../../env';
import { services } from '../../services';
import type { HostedCall, ResponseToolPorts, ResponseToolSession } from '../../tools/hosted-tool';
import { HOSTED_TOOLS } from '../../tools/registry';

/**
 * A response's hosted tools for one execution (docs/responses.md "Hosted tools"): each `tools[]` entry of
 * a tool the registry serves in the Responses API, prepared once, by the function name the model calls.
 */
export class ResponseHostedTools {
  private constructor(private readonly sessions: ReadonlyMap<string, ResponseToolSession>) {}

  static async prepare(env: Env, projectId: string, response: ResponseObject, include: readonly string[], signal: AbortSignal): Promise<ResponseHostedTools> {
    const ports: ResponseToolPorts = {
      db: () => services(env).db,
      retrieval: () => services(env).retrieval,
      files: env.FILES,
      code: () => {
        const executor = services(env).codeExecutor();
        return executor ? { executor, timeoutSeconds: services(env).config.codeExecutionTimeoutSeconds } : null;
      },
    };
    const context = { projectId, model: response.model, include };
    const sessions = new Map<string, ResponseToolSession>();
    for (const tool of HOSTED_TOOLS) {
      const config = response.tools.find((t) => t.type === tool.type);
      if (!config || !tool.responses) continue;
      const session = await tool.responses.prepare(config, context, ports, signal);
      if (session) sessions.set(tool.functionName, session);
    }
    return new ResponseHostedTools(sessions);
  }

  /** What the projection needs: which calls to collect, and the answer's annotations. */
  get options(): HostedOptions {
    return {
      functions: new Set(this.sessions.keys()),
      annotate: (text: string) => [...this.sessions.values()].flatMap((s) => s.annotate(text)),
    };
  }

  session(name: string): ResponseToolSession {
    return this.sessions.get(name)!;
  }
}

/** The model's hosted calls and their outputs as the next model call reads them (as runs send them). */
export function hostedTurnMessages(calls: readonly HostedFunctionCall[], outputs: readonly string[]): ChatMessage[] {
  return [
    { role: 'assistant', content: null, tool_calls: calls.map((c) => ({ id: c.callId, type: 'function', function: { name: c.name, arguments: c.arguments } })) },
    ...calls.map((c, i): ChatMessage => ({ role: 'tool', tool_call_id: c.callId, content: outputs[i]! })),
  ];
}

export const asHostedCall = (c: HostedFunctionCall): HostedCall => ({ id: c.callId, name: c.name, arguments: c.arguments });
