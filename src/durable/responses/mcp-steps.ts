import type { ChatMessage } from '../../domain/ports';
import { deniedOutput, type McpApproval } from '../../domain/responses/mcp';
import type { ResponseProjection } from '../../domain/responses/projection';
import type { ResponseStreamEvent } from '../../domain/responses/types';
import type { ResponseHostedTools } from './hosted-tools';

/**
 * The MCP steps of a response before its first model call (docs/mcp.md "Responses"), in OpenAI's order:
 * each server's tool list not already in the context (an `mcp_list_tools` item), then the calls this
 * request's `mcp_approval_response` items approve (`mcp_call` items). Returns what the model reads of
 * the approved and denied calls.
 */
export async function runMcpPreamble(
  hosted: ResponseHostedTools,
  projection: ResponseProjection,
  approvals: readonly McpApproval[],
  emit: (events: ResponseStreamEvent[]) => void,
  signal: AbortSignal,
): Promise<ChatMessage[]> {
  for (const prelude of hosted.preludes()) {
    const started = projection.hostedCallStarted(prelude.start());
    emit(started.events);
    const item = await prelude.run(projection.response.output[started.index] as never, signal);
    emit(projection.hostedCallEnded(started.index, item));
  }
  const messages: ChatMessage[] = [];
  for (const approval of approvals) {
    const server = hosted.mcp.get(approval.serverLabel)!;
    const id = approval.approvalRequestId;
    const name = server.functionFor(approval.name);
    let output: string;
    if (approval.approve) {
      const started = projection.hostedCallStarted(server.startApproved(approval));
      emit(started.events);
      const answer = await server.answerApproved(projection.response.output[started.index] as never, signal);
      emit(projection.hostedCallEnded(started.index, answer.item));
      output = answer.output;
    } else {
      output = deniedOutput(approval.reason);
    }
    messages.push({ role: 'assistant', content: null, tool_calls: [{ id, type: 'function', function: { name, arguments: approval.arguments } }] }, { role: 'tool', tool_call_id: id, content: output });
  }
  return messages;
}
