import type PDFContext from 'pdf-lib/es/core/PDFContext';
import type { FontFaces } from './fontLibrary';
import { FontSubset } from './fontSubset';
import type { TrueTypeFont } from './trueTypeFont';

/** What a character is drawn with: which font of the document, which glyph, and how wide. */
export interface PlacedGlyph {
    subset: FontSubset;
    glyph: number;
    /** Advance in ems (multiply by the font size for points). */
    advance: number;
    /** Drawn as U+FFFD because no font has the character; copied text says U+FFFD too. */
    replacement: boolean;
}

/** Drawn in place of a character no font has: a visible mark the reader can see is missing. */
const REPLACEMENT_CHARACTER = 0xfffd;

/**
 * Picks the font for each character of one document, measures text and turns it into character
 * codes, remembering which characters it could not draw. One per document: it owns the document's
 * font subsets.
 */
export class Typesetter {
    private readonly faces: FontFaces;
    /** The document the glyphs are drawn into (its font subsets live there). */
    readonly context: PDFContext;
    private readonly subsets = new Map<TrueTypeFont, FontSubset>();
    private readonly cache = new Map<number, PlacedGlyph>();
    /** Characters no embedded font has, drawn as U+FFFD. */
    readonly missing = new Set<number>();

    constructor(context: PDFContext, faces: FontFaces) {
        this.context = context;
        this.faces = faces;
    }

    /** The glyph for a code point in the given weight, falling back font by font. */
    place(cp: number, bold: boolean): PlacedGlyph {
        const key = cp * 2 + (bold ? 1 : 0);
        let placed = this.cache.get(key);
        if (!placed) {
            placed = this.resolve(cp, bold);
            this.cache.set(key, placed);
        }
        return placed;
    }

    /** Width of code points in points. */
    measure(codePoints: readonly number[], bold: boolean, size: number): number {
        let width = 0;
        for (const cp of codePoints) {
            width += this.place(cp, bold).advance;
        }
        return width * size;
    }

    /** Font subsets the document drew with, to embed once its pages are done. */
    usedSubsets(): FontSubset[] {
        return [...this.subsets.values()].filter((s) => s.isUsed);
    }

    private resolve(cp: number, bold: boolean): PlacedGlyph {
        const fonts = bold ? this.faces.bold : this.faces.regular;
        for (const font of fonts) {
            const glyph = font.glyphForCodePoint(cp);
            if (glyph !== 0) {
                return {
                    subset: this.subsetFor(font),
                    glyph,
                    advance: font.advanceOf(glyph) / font.metrics.unitsPerEm,
                    replacement: false
                };
            }
        }
        this.missing.add(cp);
        const font = fonts[0]!;
        const glyph = font.glyphForCodePoint(REPLACEMENT_CHARACTER);
        return {
            subset: this.subsetFor(font),
            glyph,
            advance: font.advanceOf(glyph) / font.metrics.unitsPerEm,
            replacement: true
        };
    }

    private subsetFor(font: TrueTypeFont): FontSubset {
        let subset = this.subsets.get(font);
        if (!subset) {
            const index = [...this.faces.regular, ...this.faces.bold].indexOf(font);
            subset = new FontSubset(this.context, font, `F${index + 1}`);
            this.subsets.set(font, subset);
        }
        return subset;
    }
}
