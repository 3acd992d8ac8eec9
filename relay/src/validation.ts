/**
 * The relay validates with `zod/mini` (the same checks as classic zod at a small fraction of the
 * bundle). Mini ships no issue messages, and ours reach users in error bodies ("body.0.runs.0:
 * Unrecognized key: \"bol\""), so every module that validates imports this one first to load the
 * English messages. Import the locale file alone: the `zod/locales` index would bundle all of them.
 */
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());
