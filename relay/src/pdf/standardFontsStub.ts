/**
 * Stands in for `@pdf-lib/standard-fonts` in the Worker bundle (wrangler.jsonc `alias`). pdf-lib
 * imports it for the 14 built-in PDF fonts (Helvetica, Times, ...), whose metrics add ~100 KB
 * gzipped; the renderer never uses them (it embeds its own Unicode fonts), so only the names that
 * pdf-lib reads when its modules load are kept. Tests in workerd and Node use the real package.
 */
export const FontNames = {
    Courier: 'Courier',
    CourierBold: 'Courier-Bold',
    CourierOblique: 'Courier-Oblique',
    CourierBoldOblique: 'Courier-BoldOblique',
    Helvetica: 'Helvetica',
    HelveticaBold: 'Helvetica-Bold',
    HelveticaOblique: 'Helvetica-Oblique',
    HelveticaBoldOblique: 'Helvetica-BoldOblique',
    TimesRoman: 'Times-Roman',
    TimesRomanBold: 'Times-Bold',
    TimesRomanItalic: 'Times-Italic',
    TimesRomanBoldItalic: 'Times-BoldItalic',
    Symbol: 'Symbol',
    ZapfDingbats: 'ZapfDingbats'
};

export const Encodings = {};

export class Font {
    static load(): never {
        throw new Error('The PDF standard fonts are not bundled; the renderer embeds its own.');
    }
}
