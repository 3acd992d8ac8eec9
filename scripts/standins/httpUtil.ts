import type { IncomingMessage, Server, ServerResponse } from 'node:http';

// Small helpers both stand-ins share: body reading, JSON answers, listening on a port.

export async function readBody(
    req: IncomingMessage,
    limitBytes = 50 * 1024 * 1024
): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
        const buf = chunk as Buffer;
        size += buf.length;
        if (size > limitBytes) throw new Error('request body too large');
        chunks.push(buf);
    }
    return Buffer.concat(chunks).toString('utf8');
}

export function sendJson(
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {}
): void {
    const text = JSON.stringify(body);
    res.writeHead(status, {
        'content-type': 'application/json;charset=UTF-8',
        'content-length': Buffer.byteLength(text).toString(),
        ...headers
    });
    res.end(text);
}

export function listen(server: Server, port: number, host: string): Promise<string> {
    return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
            const address = server.address();
            if (address === null || typeof address === 'string') {
                reject(new Error('server has no TCP address'));
                return;
            }
            resolve(`http://${host}:${address.port}`);
        });
    });
}

export function closeServer(server: Server): Promise<void> {
    return new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
    });
}

export function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Reads `--name value` from argv, for the stand-ins' tiny CLIs. */
export function cliOption(argv: string[], name: string): string | undefined {
    const index = argv.indexOf(`--${name}`);
    return index >= 0 ? argv[index + 1] : undefined;
}
