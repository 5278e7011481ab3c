import { z } from 'zod';
import { HybridSearchOptions } from './hybrid-search';
import { Int } from './int';
import { McpTool } from './mcp-tool';

/**
 * Request-side building blocks shared by several resources, named after the SDK's types. Objects
 * are strict: OpenAI's request schemas are `additionalProperties: false`, and an unknown field is
 * `400 Unknown parameter: 'x'.` (docs/openai-behaviour.md §1, §4).
 */

/** Set of 16 key-value pairs; keys ≤ 64 characters, values ≤ 512 characters. `null` means `{}`. */
export const Metadata = z
  .record(z.string(), z.string().max(512))
  .superRefine((value, ctx) => {
    const keys = Object.keys(value);
    if (keys.length > 16) {
      ctx.addIssue({
        code: 'custom',
        message: `Invalid 'metadata': too many properties. Expected an object with at most 16 properties, but got an object with ${keys.length} properties instead.`,
        params: { code: 'object_above_max_properties', param: 'metadata' },
      });
    }
    for (const key of keys) {
      if (key.length > 64) {
        ctx.addIssue({
          code: 'custom',
          message: `Invalid 'metadata': key '${key.slice(0, 70)}' is too long. Expected a key with maximum length 64, but got a key with length ${key.length} instead.`,
          params: { code: 'invalid_value', param: 'metadata' },
        });
      }
    }
  })
  .nullable();

export const FunctionName = z
  .string()
  .regex(/^[a-zA-Z0-9_-]{1,64}$/, 'must be 1 to 64 characters of a-z, A-Z, 0-9, underscores and dashes');

export const FunctionDefinition = z.strictObject({
  name: FunctionName,
  description: z.string().optional(),
  // A JSON Schema object; OpenAI accepts any object here and the model provider validates it.
  parameters: z.record(z.string(), z.unknown()).optional(),
  strict: z.boolean().nullable().optional(),
});

export const FileSearchRankingOptions = z.strictObject({
  ranker: z.enum(['auto', 'default_2024_08_21']).optional(),
  score_threshold: z.number().min(0).max(1),
  // OpenAI's newer file_search weights (weighted RRF): src/domain/retrieval/ranking-options.ts.
  hybrid_search: HybridSearchOptions.optional(),
});

export const CodeInterpreterTool = z.strictObject({ type: z.literal('code_interpreter') });
export const FileSearchTool = z.strictObject({
  type: z.literal('file_search'),
  file_search: z
    .strictObject({
      max_num_results: Int().min(1).max(50).optional(),
      ranking_options: FileSearchRankingOptions.optional(),
      /** Extension: `hybrid` | `vector` | `keyword` (src/domain/retrieval/ranking-options.ts). */
      search_mode: z.enum(['hybrid', 'vector', 'keyword']).optional(),
    })
    .optional(),
});
export const FunctionTool = z.strictObject({ type: z.literal('function'), function: FunctionDefinition });

/** `mcp` is an extension (docs/mcp-assistants.md): OpenAI's Assistants API has only the first three. */
export const AssistantTool = z.discriminatedUnion('type', [CodeInterpreterTool, FileSearchTool, FunctionTool, McpTool]);
export type AssistantTool = z.infer<typeof AssistantTool>;

/** Unique function names: the model could not tell two same-named functions apart. */
export function uniqueFunctionNames(tools: readonly AssistantTool[] | null | undefined, param = 'tools'): string | null {
  const seen = new Set<string>();
  for (const tool of tools ?? []) {
    if (tool.type !== 'function') continue;
    if (seen.has(tool.function.name)) return `Invalid '${param}': duplicate function name '${tool.function.name}'.`;
    seen.add(tool.function.name);
  }
  return null;
}

/** `chunking_strategy` on requests: `auto` (= static 800/400) or `static` with overlap ≤ half the size. */
export const ChunkingStrategyParam = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('auto') }),
    z.strictObject({
      type: z.literal('static'),
      static: z.strictObject({
        max_chunk_size_tokens: Int().min(100).max(4096),
        chunk_overlap_tokens: Int().min(0),
      }),
    }),
  ])
  .superRefine((v, ctx) => {
    if (v.type === 'static' && v.static.chunk_overlap_tokens > v.static.max_chunk_size_tokens / 2) {
      ctx.addIssue({
        code: 'custom',
        path: ['static', 'chunk_overlap_tokens'],
        message: `Invalid 'chunk_overlap_tokens': ${v.static.chunk_overlap_tokens} exceeds half of max_chunk_size_tokens (${v.static.max_chunk_size_tokens / 2}).`,
        params: { code: 'invalid_value' },
      });
    }
  });
export type ChunkingStrategyParam = z.infer<typeof ChunkingStrategyParam>;

/** `tool_resources` on assistants and threads (create and modify). */
export const ToolResources = z
  .strictObject({
    code_interpreter: z.strictObject({ file_ids: z.array(z.string()).max(20).optional() }).optional(),
    file_search: z
      .strictObject({
        vector_store_ids: z.array(z.string()).max(1).optional(),
        vector_stores: z
          .array(
            z.strictObject({
              file_ids: z.array(z.string()).max(10000).optional(),
              chunking_strategy: ChunkingStrategyParam.optional(),
              metadata: Metadata.optional(),
            }),
          )
          .max(1)
          .optional(),
      })
      .optional(),
  })
  .nullable();
export type ToolResources = z.infer<typeof ToolResources>;

export const ResponseFormat = z.union([
  z.literal('auto'),
  z.discriminatedUnion('type', [
      z.strictObject({ type: z.literal('text') }),
      z.strictObject({ type: z.literal('json_object') }),
      z.strictObject({
        type: z.literal('json_schema'),
        json_schema: z.strictObject({
          name: FunctionName,
          description: z.string().optional(),
          schema: z.record(z.string(), z.unknown()).optional(),
          strict: z.boolean().nullable().optional(),
        }),
      }),
    ],
  ),
]);

export const ReasoningEffort = z.enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max']).nullable();
export const Temperature = z.number().min(0).max(2).nullable();
export const TopP = z.number().min(0).max(1).nullable();
export const Model = z.string().min(1).max(256);
