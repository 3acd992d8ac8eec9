/** `@salesforce/i18n/locale`: the stand-in users' locale. */
const locale = 'en-US';
export default locale;
