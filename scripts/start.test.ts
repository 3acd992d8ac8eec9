import { describe, expect, it } from 'vitest';
import { DEFAULT_SCHEDULER_TICK_MS, schedulerTickMsFromEnv } from './start';

// `npm start`'s local cron interval from SCHEDULER_TICK_SECONDS: a typo must stop the start with a
// sentence, never become NaN (which setTimeout reads as 0: the relay's cron fired continuously).

describe('SCHEDULER_TICK_SECONDS', () => {
    it('defaults to 5 s when unset or empty', () => {
        expect(schedulerTickMsFromEnv(undefined)).toBe(DEFAULT_SCHEDULER_TICK_MS);
        expect(schedulerTickMsFromEnv(' ')).toBe(DEFAULT_SCHEDULER_TICK_MS);
        expect(DEFAULT_SCHEDULER_TICK_MS).toBe(5000);
    });

    it('reads whole and fractional seconds, and 0 as never', () => {
        expect(schedulerTickMsFromEnv('2')).toBe(2000);
        expect(schedulerTickMsFromEnv('0.5')).toBe(500);
        expect(schedulerTickMsFromEnv('0')).toBe(0);
    });

    it('refuses what is not a number of seconds from 0 to 3600', () => {
        for (const value of ['5s', 'fast', 'NaN', 'Infinity', '-1', '3601']) {
            expect(() => schedulerTickMsFromEnv(value), value).toThrow(
                /SCHEDULER_TICK_SECONDS must be a number of seconds from 0 \(never\) to 3600/
            );
        }
    });
});
