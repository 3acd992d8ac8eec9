/** `@salesforce/i18n/timeZone`: the user's time zone (Salesforce's user setting); here the browser's. */
const timeZone: string = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
export default timeZone;
