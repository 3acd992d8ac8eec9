import {
    NOTO_SANS_BOLD,
    NOTO_SANS_HEBREW_BOLD,
    NOTO_SANS_HEBREW_REGULAR,
    NOTO_SANS_REGULAR
} from './fonts/embeddedFonts';
import { TrueTypeFont } from './trueTypeFont';

/**
 * The fonts the renderer draws with, in the order it looks for a character: Noto Sans (Latin,
 * Greek, Cyrillic) first, then Noto Sans Hebrew. Regular and bold only; italic is drawn slanted.
 */
export interface FontFaces {
    regular: TrueTypeFont[];
    bold: TrueTypeFont[];
}

let loading: Promise<FontFaces> | undefined;

/**
 * The fonts, unpacked once per isolate: they are the relay's own static assets (the same for
 * every request), never anything a customer sent.
 */
export function loadFontFaces(): Promise<FontFaces> {
    loading ??= unpackFonts().catch((error: unknown) => {
        loading = undefined;
        throw error;
    });
    return loading;
}

async function unpackFonts(): Promise<FontFaces> {
    const [regular, bold, hebrewRegular, hebrewBold] = await Promise.all([
        unpack(NOTO_SANS_REGULAR),
        unpack(NOTO_SANS_BOLD),
        unpack(NOTO_SANS_HEBREW_REGULAR),
        unpack(NOTO_SANS_HEBREW_BOLD)
    ]);
    return {
        regular: [
            new TrueTypeFont(regular, 'NotoSans-Regular'),
            new TrueTypeFont(hebrewRegular, 'NotoSansHebrew-Regular')
        ],
        bold: [
            new TrueTypeFont(bold, 'NotoSans-Bold'),
            new TrueTypeFont(hebrewBold, 'NotoSansHebrew-Bold')
        ]
    };
}

/** base64 → zlib-inflated bytes, with the platform's own decompressor (workerd and Node). */
async function unpack(packed: string): Promise<Uint8Array> {
    const deflated = Uint8Array.from(atob(packed), (c) => c.charCodeAt(0));
    const stream = new Blob([deflated]).stream().pipeThrough(new DecompressionStream('deflate'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
}
