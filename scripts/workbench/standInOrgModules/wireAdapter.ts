/**
 * The shape of an LWC wire adapter (connect/update/disconnect, `dataCallback`) with the fetching
 * left to each adapter: every stand-in org adapter emits `{ data, error }` as LDS does.
 */
export interface WireResult<T> {
    data: T | undefined;
    error: unknown;
}

export type DataCallback<T> = (value: WireResult<T>) => void;

export abstract class FetchingWireAdapter<Config, Data> {
    protected config: Config | undefined;
    protected connected = false;
    private requestCount = 0;

    constructor(private readonly dataCallback: DataCallback<Data>) {}

    /** The data for a config, or `undefined` when the config is not complete yet (no fetch). */
    protected abstract load(config: Config): Promise<Data> | undefined;

    update(config: Config): void {
        this.config = config;
        if (this.connected) {
            this.refresh();
        }
    }

    connect(): void {
        this.connected = true;
        if (this.config !== undefined) {
            this.refresh();
        }
    }

    disconnect(): void {
        this.connected = false;
    }

    /** Fetches again; only the newest answer is delivered, so a slow old answer never wins. */
    refresh(): void {
        const config = this.config;
        if (config === undefined) {
            return;
        }
        const pending = this.load(config);
        if (!pending) {
            return;
        }
        const request = ++this.requestCount;
        pending.then(
            (data) => {
                if (this.connected && request === this.requestCount) {
                    this.dataCallback({ data, error: undefined });
                }
            },
            (error: unknown) => {
                if (this.connected && request === this.requestCount) {
                    this.dataCallback({ data: undefined, error });
                }
            }
        );
    }
}
