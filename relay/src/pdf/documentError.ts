import type { RelayErrorType } from '../../../force-app/main/default/lwc/relayContract/relayContract';

/**
 * A document the renderer refuses, with a message for the person who made the template (which
 * limit, which row or image). The route answers it as a `RelayError` of the same status and type;
 * the renderer itself stays free of the HTTP layer so it runs anywhere.
 */
export class DocumentError extends Error {
    readonly status: 413 | 422;
    readonly type: Extract<RelayErrorType, 'payload_too_large' | 'invalid_request'>;

    constructor(message: string, status: 413 | 422 = 422) {
        super(message);
        this.status = status;
        this.type = status === 413 ? 'payload_too_large' : 'invalid_request';
    }
}
