import { UsageError } from './relayKeyInputs';

/** What a key command produced: stdout is the one thing to copy or pipe, stderr the explanation. */
export interface CommandResult {
    exitCode: number;
    stdout: string;
    stderr: string;
}

/**
 * Runs a command body and turns a UsageError into exit status 2 with its message, the convention of
 * command-line tools for "you called me wrong"; anything else is a bug and propagates.
 */
export async function runCommand(
    usage: string,
    body: () => Promise<Omit<CommandResult, 'exitCode'>>
): Promise<CommandResult> {
    try {
        return { exitCode: 0, ...(await body()) };
    } catch (error) {
        if (error instanceof UsageError) {
            return { exitCode: 2, stdout: '', stderr: `${error.message}\n\n${usage}\n` };
        }
        throw error;
    }
}

/** Prints a result and exits with its status (the commands' entry points). */
export function exitWith(result: CommandResult): never {
    process.stdout.write(result.stdout);
    process.stderr.write(result.stderr);
    process.exit(result.exitCode);
}
