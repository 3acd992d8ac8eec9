import * as z from 'zod/mini';
import '../validation';

/**
 * What the relay accepts on POST /v1/messages: Anthropic's Messages API request, limited to the
 * fields Resident uses. Unknown top-level fields are refused, not forwarded: the relay must not
 * become a way to reach API features the trust page does not describe (server-side tools, MCP
 * servers, containers, file references). Content blocks are checked for their type and the fields
 * the relay reads; Anthropic validates the rest.
 */

const LIMITS = { messages: 2000, blocksPerMessage: 500, tools: 64, stopSequences: 8 } as const;

const textBlock = z.looseObject({ type: z.literal('text'), text: z.string() });
const imageBlock = z.looseObject({
    type: z.literal('image'),
    source: z.looseObject({ type: z.enum(['base64', 'url']) })
});
const toolUseBlock = z.looseObject({
    type: z.literal('tool_use'),
    id: z.string().check(z.maxLength(200)),
    name: z.string().check(z.maxLength(200)),
    input: z.unknown()
});
const toolResultBlock = z.looseObject({
    type: z.literal('tool_result'),
    tool_use_id: z.string().check(z.maxLength(200)),
    content: z.optional(
        z.union([z.string(), z.array(z.discriminatedUnion('type', [textBlock, imageBlock]))])
    ),
    is_error: z.optional(z.boolean())
});
const contentBlock = z.discriminatedUnion('type', [
    textBlock,
    imageBlock,
    toolUseBlock,
    toolResultBlock
]);

export const messagesRequestSchema = z.strictObject({
    model: z.string().check(z.minLength(1), z.maxLength(100)),
    max_tokens: z.int().check(z.minimum(1)),
    messages: z
        .array(
            z.strictObject({
                role: z.enum(['user', 'assistant']),
                content: z.union([
                    z.string(),
                    z.array(contentBlock).check(z.maxLength(LIMITS.blocksPerMessage))
                ])
            })
        )
        .check(z.minLength(1), z.maxLength(LIMITS.messages)),
    system: z.optional(z.union([z.string(), z.array(textBlock)])),
    stream: z.optional(z.boolean()),
    tools: z.optional(
        z
            .array(
                z.strictObject({
                    name: z.string().check(z.regex(/^[a-zA-Z0-9_-]{1,64}$/)),
                    description: z.optional(z.string().check(z.maxLength(10_000))),
                    input_schema: z.looseObject({ type: z.literal('object') })
                })
            )
            .check(z.maxLength(LIMITS.tools))
    ),
    tool_choice: z.optional(z.looseObject({ type: z.enum(['auto', 'any', 'tool', 'none']) })),
    temperature: z.optional(z.number().check(z.minimum(0), z.maximum(1))),
    top_p: z.optional(z.number().check(z.minimum(0), z.maximum(1))),
    top_k: z.optional(z.int().check(z.minimum(0))),
    stop_sequences: z.optional(
        z.array(z.string().check(z.maxLength(200))).check(z.maxLength(LIMITS.stopSequences))
    ),
    metadata: z.optional(z.strictObject({ user_id: z.optional(z.string()) }))
});

export type MessagesRequest = z.infer<typeof messagesRequestSchema>;
