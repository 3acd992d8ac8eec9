import type PDFContext from 'pdf-lib/es/core/PDFContext';
import PDFString from 'pdf-lib/es/core/objects/PDFString';
import type PDFRef from 'pdf-lib/es/core/objects/PDFRef';
import { utf16Hex } from './numbers';
import type { TrueTypeFont } from './trueTypeFont';

/**
 * One font as one document uses it: glyphs are numbered in order of first use, and when the
 * document is finished only those glyphs are embedded (a Type0 / CIDFontType2 font with Identity
 * encoding, so a character code in the content stream is the subset's glyph id). The ToUnicode map
 * lets viewers copy, search and extract the text.
 */
export class FontSubset {
    /** The name pages use for it in their resources, e.g. `F1`. */
    readonly resourceName: string;
    /** Allocated up front so pages can point at the font before it is written. */
    readonly ref: PDFRef;
    readonly font: TrueTypeFont;
    private readonly newIdOf = new Map<number, number>();
    private readonly glyphs: number[] = [0];
    private readonly textOf = new Map<number, string>();

    constructor(context: PDFContext, font: TrueTypeFont, resourceName: string) {
        this.font = font;
        this.resourceName = resourceName;
        this.ref = context.nextRef();
        this.newIdOf.set(0, 0);
    }

    /** The 4-hex-digit character code of a glyph, recording the text it stands for. */
    codeFor(glyph: number, text: string): string {
        let id = this.newIdOf.get(glyph);
        if (id === undefined) {
            id = this.glyphs.length;
            this.glyphs.push(glyph);
            this.newIdOf.set(glyph, id);
        }
        if (!this.textOf.has(id)) {
            this.textOf.set(id, text);
        }
        return id.toString(16).padStart(4, '0');
    }

    get isUsed(): boolean {
        return this.glyphs.length > 1;
    }

    /** Writes the font objects: call once, after the last page is drawn. */
    embed(context: PDFContext): void {
        // Composite glyphs (most accented letters) need their parts too; they get the next ids.
        for (let i = 1; i < this.glyphs.length; i++) {
            for (const component of this.font.componentsOf(this.glyphs[i]!)) {
                if (!this.newIdOf.has(component)) {
                    this.newIdOf.set(component, this.glyphs.length);
                    this.glyphs.push(component);
                }
            }
        }
        const fontFile = this.font.subset(this.glyphs);
        const baseFont = `${subsetTag(this.glyphs)}+${this.font.postScriptName}`;
        const { metrics } = this.font;
        const scale = 1000 / metrics.unitsPerEm;
        const fontFileRef = context.register(
            context.flateStream(fontFile, { Length1: fontFile.length })
        );
        const descriptor = context.register(
            context.obj({
                Type: 'FontDescriptor',
                FontName: baseFont,
                // Symbolic: the font's glyphs are addressed by id, not by a standard encoding.
                Flags: 4,
                FontBBox: metrics.bbox.map((v) => Math.round(v * scale)),
                ItalicAngle: metrics.italicAngle,
                Ascent: Math.round(metrics.ascender * scale),
                Descent: Math.round(metrics.descender * scale),
                CapHeight: Math.round(metrics.capHeight * scale),
                StemV: 80,
                FontFile2: fontFileRef
            })
        );
        const widths = this.glyphs.map((glyph) => Math.round(this.font.advanceOf(glyph) * scale));
        const cidFont = context.register(
            context.obj({
                Type: 'Font',
                Subtype: 'CIDFontType2',
                BaseFont: baseFont,
                CIDSystemInfo: {
                    Registry: PDFString.of('Adobe'),
                    Ordering: PDFString.of('Identity'),
                    Supplement: 0
                },
                FontDescriptor: descriptor,
                W: [0, widths],
                CIDToGIDMap: 'Identity'
            })
        );
        const toUnicode = context.register(context.flateStream(this.toUnicodeCMap()));
        context.assign(
            this.ref,
            context.obj({
                Type: 'Font',
                Subtype: 'Type0',
                BaseFont: baseFont,
                Encoding: 'Identity-H',
                DescendantFonts: [cidFont],
                ToUnicode: toUnicode
            })
        );
    }

    private toUnicodeCMap(): string {
        const entries = [...this.textOf.entries()];
        const lines = [
            '/CIDInit /ProcSet findresource begin',
            '12 dict begin',
            'begincmap',
            '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
            '/CMapName /Adobe-Identity-UCS def',
            '/CMapType 2 def',
            '1 begincodespacerange',
            '<0000> <ffff>',
            'endcodespacerange'
        ];
        // A CMap block holds at most 100 mappings.
        for (let i = 0; i < entries.length; i += 100) {
            const block = entries.slice(i, i + 100);
            lines.push(`${block.length} beginbfchar`);
            for (const [id, text] of block) {
                lines.push(`<${id.toString(16).padStart(4, '0')}> <${utf16Hex(text)}>`);
            }
            lines.push('endbfchar');
        }
        lines.push('endcmap', 'CMapName currentdict /CMap defineresource pop', 'end', 'end');
        return lines.join('\n');
    }
}

/**
 * The six capital letters PDF puts before a subset font's name (`ABCDEF+NotoSans-Regular`), which
 * is how viewers and `pdffonts` know the font is a subset. Derived from the glyphs, so the same
 * document renders to the same bytes.
 */
function subsetTag(glyphs: readonly number[]): string {
    let hash = 2166136261;
    for (const glyph of glyphs) {
        hash = Math.imul(hash ^ glyph, 16777619) >>> 0;
    }
    let tag = '';
    for (let i = 0; i < 6; i++) {
        tag += String.fromCharCode(65 + (hash % 26));
        hash = (Math.floor(hash / 26) + Math.imul(hash, 31)) >>> 0;
    }
    return tag;
}
