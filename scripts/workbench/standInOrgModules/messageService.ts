/**
 * `lightning/messageService` for the workbench: Lightning Message Service within the one page, as
 * the platform gives it to components on the same Lightning page. A channel is the string the
 * `@salesforce/messageChannel/*` import resolves to.
 */
type Listener = (message: Record<string, unknown>) => void;
type Subscription = { channel: unknown; listener: Listener };

const subscriptions = new Set<Subscription>();
const CONTEXT = Object.freeze({ workbenchMessageContext: true });

export const APPLICATION_SCOPE = Symbol('APPLICATION_SCOPE');

/** `@wire(MessageContext)`: the context itself (not `{ data, error }`), shared by the page. */
export class MessageContext {
    private readonly dataCallback: (context: unknown) => void;

    constructor(dataCallback: (context: unknown) => void) {
        this.dataCallback = dataCallback;
    }

    connect(): void {
        this.dataCallback(CONTEXT);
    }

    update(): void {
        this.dataCallback(CONTEXT);
    }

    disconnect(): void {}
}

export function publish(
    _context: unknown,
    channel: unknown,
    message: Record<string, unknown> = {}
): void {
    for (const subscription of [...subscriptions]) {
        if (subscription.channel !== channel) continue;
        // Delivered after the publisher's turn, as the platform does, and each copy separately.
        queueMicrotask(() => subscription.listener(structuredClone(message)));
    }
}

export function subscribe(_context: unknown, channel: unknown, listener: Listener): Subscription {
    const subscription = { channel, listener };
    subscriptions.add(subscription);
    return subscription;
}

export function unsubscribe(subscription: Subscription | null | undefined): void {
    if (subscription) subscriptions.delete(subscription);
}

export function createMessageContext(): unknown {
    return CONTEXT;
}

export function releaseMessageContext(): void {}
