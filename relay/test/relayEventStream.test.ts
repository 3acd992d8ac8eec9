import { describe, expect, it } from 'vitest';
import { relayEventStream, sseErrorEvent } from '../src/llm/upstream';

/**
 * The event pass-through on its own, fed chunk boundaries the network may produce: the client
 * only ever receives whole events, in order, and a break yields one well-formed error event.
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const FAILURE = sseErrorEvent('api_error', 'broken');

function upstreamOf(chunks: string[], breakAtEnd = false): ReadableStream<Uint8Array> {
    let i = 0;
    return new ReadableStream<Uint8Array>({
        pull(controller) {
            if (i < chunks.length) controller.enqueue(encoder.encode(chunks[i++]!));
            else if (breakAtEnd) controller.error(new Error('connection reset'));
            else controller.close();
        }
    });
}

/** What the client receives, chunk by chunk, and whether the hooks ran. */
async function relay(chunks: string[], breakAtEnd = false) {
    let ended = 0;
    const stream = relayEventStream(upstreamOf(chunks, breakAtEnd), {
        onClientGone: () => undefined,
        onEnd: () => {
            ended += 1;
        },
        failureEvent: () => FAILURE
    });
    const received: string[] = [];
    for await (const chunk of stream) received.push(decoder.decode(chunk));
    return { received, ended };
}

const start = 'event: message_start\ndata: {"type":"message_start"}\n\n';
const delta = 'event: content_block_delta\ndata: {"type":"content_block_delta"}\n\n';
const stop = 'event: message_stop\ndata: {"type":"message_stop"}\n\n';

describe('relayEventStream', () => {
    it('passes chunks that end on an event boundary through as they came', async () => {
        const { received, ended } = await relay([start, delta + delta, stop]);
        expect(received).toEqual([start, delta + delta, stop]);
        expect(ended).toBe(1);
    });

    it('holds back a split event until it is whole', async () => {
        const cut1 = delta.indexOf('data');
        const cut2 = delta.length - 1; // between the two newlines of the blank line
        const { received } = await relay([
            start + delta.slice(0, cut1),
            delta.slice(cut1, cut2),
            delta.slice(cut2) + stop
        ]);
        expect(received).toEqual([start, delta + stop]);
        expect(received.every((chunk) => chunk.endsWith('\n\n'))).toBe(true);
    });

    it('keeps multi-byte characters split across chunks intact', async () => {
        const text = 'event: content_block_delta\ndata: {"text":"Grüße, 東京 ✓"}\n\n';
        const bytes = encoder.encode(text);
        const cut = text.indexOf('東') + 5; // inside the UTF-8 bytes of 東
        let i = 0;
        const parts = [bytes.slice(0, cut), bytes.slice(cut)];
        const stream = relayEventStream(
            new ReadableStream<Uint8Array>({
                pull(controller) {
                    if (i < parts.length) controller.enqueue(parts[i++]!);
                    else controller.close();
                }
            }),
            { onClientGone: () => undefined, onEnd: () => undefined, failureEvent: () => FAILURE }
        );
        let all = '';
        for await (const chunk of stream) all += decoder.decode(chunk);
        expect(all).toBe(text);
    });

    it('forwards a last event that lacks its blank line when the stream ends cleanly', async () => {
        const unterminated = 'event: message_stop\ndata: {"type":"message_stop"}\n';
        const { received } = await relay([start, unterminated]);
        expect(received).toEqual([start, unterminated]);
    });

    it('drops half an event and ends with one error event when the upstream breaks', async () => {
        const { received, ended } = await relay([start, delta.slice(0, 20)], true);
        expect(received).toEqual([start, decoder.decode(FAILURE)]);
        expect(ended).toBe(1);
    });

    it('tells the caller when the client goes away, and cancels the upstream read', async () => {
        let gone = 0;
        let upstreamCancelled = false;
        const upstream = new ReadableStream<Uint8Array>({
            pull(controller) {
                controller.enqueue(encoder.encode(delta));
            },
            cancel() {
                upstreamCancelled = true;
            }
        });
        const stream = relayEventStream(upstream, {
            onClientGone: () => {
                gone += 1;
            },
            onEnd: () => undefined,
            failureEvent: () => FAILURE
        });
        const reader = stream.getReader();
        await reader.read();
        await reader.cancel('client left');
        expect(gone).toBe(1);
        expect(upstreamCancelled).toBe(true);
    });
});
