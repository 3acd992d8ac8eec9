/**
 * Just enough TrueType for PDF: read the metrics, the character map and the glyph outlines of the
 * relay's own (build-time subset) fonts, and write a per-document subset holding only the glyphs a
 * document uses, renumbered from 1. fontkit does this too, but costs ~380 KB gzipped of a Worker
 * bundle that must stay near 300 KB; this covers the fonts we ship, and nothing more.
 */

export class FontFormatError extends Error {}

interface TableRecord {
    offset: number;
    length: number;
}

/** Metrics in font units (`unitsPerEm` to the em). */
export interface FontMetrics {
    unitsPerEm: number;
    ascender: number;
    descender: number;
    lineGap: number;
    capHeight: number;
    bbox: [number, number, number, number];
    italicAngle: number;
    underlinePosition: number;
    underlineThickness: number;
}

// Composite glyph flags (OpenType spec, 'glyf' table).
const ARG_1_AND_2_ARE_WORDS = 0x0001;
const WE_HAVE_A_SCALE = 0x0008;
const MORE_COMPONENTS = 0x0020;
const WE_HAVE_AN_X_AND_Y_SCALE = 0x0040;
const WE_HAVE_A_TWO_BY_TWO = 0x0080;

/** A parsed TrueType font (glyf outlines). Immutable; shared by every document an isolate renders. */
export class TrueTypeFont {
    readonly postScriptName: string;
    readonly metrics: FontMetrics;
    readonly numGlyphs: number;
    private readonly bytes: Uint8Array;
    private readonly view: DataView;
    private readonly tables: Map<string, TableRecord>;
    private readonly cmap: Map<number, number>;
    private readonly advances: Uint16Array;
    private readonly leftSideBearings: Int16Array;
    private readonly glyphOffsets: Uint32Array;

    constructor(bytes: Uint8Array, postScriptName: string) {
        this.bytes = bytes;
        this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        this.postScriptName = postScriptName;
        if (this.view.getUint32(0) !== 0x00010000) {
            throw new FontFormatError('Not a TrueType (glyf) font.');
        }
        this.tables = this.readTableDirectory();
        this.numGlyphs = this.view.getUint16(this.table('maxp').offset + 4);
        this.metrics = this.readMetrics();
        [this.advances, this.leftSideBearings] = this.readHorizontalMetrics();
        this.glyphOffsets = this.readGlyphOffsets();
        this.cmap = this.readCharacterMap();
    }

    /** The glyph for a Unicode code point, or 0 (.notdef) when the font has none. */
    glyphForCodePoint(codePoint: number): number {
        return this.cmap.get(codePoint) ?? 0;
    }

    hasCodePoint(codePoint: number): boolean {
        return this.cmap.has(codePoint);
    }

    /** Advance width of a glyph in font units. */
    advanceOf(glyph: number): number {
        return this.advances[glyph] ?? 0;
    }

    /** The glyphs a composite glyph is built from (empty for a simple glyph). */
    componentsOf(glyph: number): number[] {
        const data = this.glyphData(glyph);
        const components: number[] = [];
        forEachComponent(data, (offset) => components.push(readUint16(data, offset)));
        return components;
    }

    /**
     * A standalone TrueType font holding `glyphs` (old glyph ids, `.notdef` first) renumbered in
     * that order, composites pointing at their components' new ids. The list must already include
     * every component (see `componentsOf`).
     */
    subset(glyphs: readonly number[]): Uint8Array {
        const newIdOf = new Map<number, number>();
        glyphs.forEach((glyph, index) => newIdOf.set(glyph, index));
        const glyphBlocks: Uint8Array[] = [];
        const loca = new Uint32Array(glyphs.length + 1);
        let glyfLength = 0;
        glyphs.forEach((glyph, index) => {
            const data = this.glyphData(glyph).slice();
            forEachComponent(data, (offset) => {
                const newId = newIdOf.get(readUint16(data, offset));
                if (newId === undefined) {
                    throw new FontFormatError(`Component of glyph ${glyph} missing from subset.`);
                }
                writeUint16(data, offset, newId);
            });
            loca[index] = glyfLength;
            const padded = (data.length + 3) & ~3;
            const block = new Uint8Array(padded);
            block.set(data);
            glyphBlocks.push(block);
            glyfLength += padded;
        });
        loca[glyphs.length] = glyfLength;

        const glyf = concatBytes(glyphBlocks, glyfLength);
        const locaBytes = new Uint8Array(loca.length * 4);
        const locaView = new DataView(locaBytes.buffer);
        loca.forEach((offset, i) => locaView.setUint32(i * 4, offset));

        const hmtx = new Uint8Array(glyphs.length * 4);
        const hmtxView = new DataView(hmtx.buffer);
        glyphs.forEach((glyph, i) => {
            hmtxView.setUint16(i * 4, this.advances[glyph] ?? 0);
            hmtxView.setInt16(i * 4 + 2, this.leftSideBearings[glyph] ?? 0);
        });

        const head = this.tableBytes('head').slice();
        const headView = new DataView(head.buffer);
        headView.setUint32(8, 0); // checkSumAdjustment, set once the whole font is known
        headView.setInt16(50, 1); // long loca offsets
        const hhea = this.tableBytes('hhea').slice();
        new DataView(hhea.buffer).setUint16(34, glyphs.length);
        const maxp = this.tableBytes('maxp').slice();
        new DataView(maxp.buffer).setUint16(4, glyphs.length);

        // The tables PDF viewers read from an embedded CIDFontType2; no cmap (CIDs are glyph ids).
        const font = writeFontFile([
            ['glyf', glyf],
            ['head', head],
            ['hhea', hhea],
            ['hmtx', hmtx],
            ['loca', locaBytes],
            ['maxp', maxp]
        ]);
        const headOffset = tableOffsetIn(font, 'head');
        new DataView(font.buffer).setUint32(headOffset + 8, (0xb1b0afba - checksum(font)) >>> 0);
        return font;
    }

    private glyphData(glyph: number): Uint8Array {
        const glyf = this.table('glyf');
        const start = this.glyphOffsets[glyph];
        const end = this.glyphOffsets[glyph + 1];
        if (start === undefined || end === undefined || end < start) {
            throw new FontFormatError(`No glyph ${glyph}.`);
        }
        return this.bytes.subarray(glyf.offset + start, glyf.offset + end);
    }

    private table(tag: string): TableRecord {
        const record = this.tables.get(tag);
        if (!record) {
            throw new FontFormatError(`Font has no '${tag}' table.`);
        }
        return record;
    }

    private tableBytes(tag: string): Uint8Array {
        const { offset, length } = this.table(tag);
        return this.bytes.subarray(offset, offset + length);
    }

    private readTableDirectory(): Map<string, TableRecord> {
        const tables = new Map<string, TableRecord>();
        const count = this.view.getUint16(4);
        for (let i = 0; i < count; i++) {
            const at = 12 + i * 16;
            const tag = String.fromCharCode(...this.bytes.subarray(at, at + 4));
            const offset = this.view.getUint32(at + 8);
            const length = this.view.getUint32(at + 12);
            if (offset + length > this.bytes.length) {
                throw new FontFormatError(`Table '${tag}' runs past the end of the font.`);
            }
            tables.set(tag, { offset, length });
        }
        return tables;
    }

    private readMetrics(): FontMetrics {
        const v = this.view;
        const head = this.table('head').offset;
        const hhea = this.table('hhea').offset;
        const post = this.table('post').offset;
        const os2 = this.tables.get('OS/2');
        const capHeight =
            os2 && v.getUint16(os2.offset) >= 2 ? v.getInt16(os2.offset + 88) : undefined;
        // hhea's ascender and descender: what PDF viewers and browsers use for line boxes.
        return {
            unitsPerEm: v.getUint16(head + 18),
            ascender: v.getInt16(hhea + 4),
            descender: v.getInt16(hhea + 6),
            lineGap: v.getInt16(hhea + 8),
            capHeight: capHeight ?? v.getInt16(hhea + 4),
            bbox: [
                v.getInt16(head + 36),
                v.getInt16(head + 38),
                v.getInt16(head + 40),
                v.getInt16(head + 42)
            ],
            italicAngle: v.getInt32(post + 4) / 65536,
            underlinePosition: v.getInt16(post + 8),
            underlineThickness: v.getInt16(post + 10)
        };
    }

    private readHorizontalMetrics(): [Uint16Array, Int16Array] {
        const longMetrics = this.view.getUint16(this.table('hhea').offset + 34);
        const hmtx = this.table('hmtx').offset;
        const advances = new Uint16Array(this.numGlyphs);
        const bearings = new Int16Array(this.numGlyphs);
        let lastAdvance = 0;
        for (let glyph = 0; glyph < this.numGlyphs; glyph++) {
            if (glyph < longMetrics) {
                lastAdvance = this.view.getUint16(hmtx + glyph * 4);
                bearings[glyph] = this.view.getInt16(hmtx + glyph * 4 + 2);
            } else {
                bearings[glyph] = this.view.getInt16(
                    hmtx + longMetrics * 4 + (glyph - longMetrics) * 2
                );
            }
            advances[glyph] = lastAdvance;
        }
        return [advances, bearings];
    }

    private readGlyphOffsets(): Uint32Array {
        const longOffsets = this.view.getInt16(this.table('head').offset + 50) === 1;
        const loca = this.table('loca').offset;
        const offsets = new Uint32Array(this.numGlyphs + 1);
        for (let i = 0; i <= this.numGlyphs; i++) {
            offsets[i] = longOffsets
                ? this.view.getUint32(loca + i * 4)
                : this.view.getUint16(loca + i * 2) * 2;
        }
        return offsets;
    }

    /** Unicode → glyph from the best subtable: format 12 (full Unicode) or format 4 (BMP). */
    private readCharacterMap(): Map<number, number> {
        const v = this.view;
        const cmap = this.table('cmap').offset;
        const count = v.getUint16(cmap + 2);
        let format4: number | undefined;
        let format12: number | undefined;
        for (let i = 0; i < count; i++) {
            const platform = v.getUint16(cmap + 4 + i * 8);
            const encoding = v.getUint16(cmap + 6 + i * 8);
            const at = cmap + v.getUint32(cmap + 8 + i * 8);
            const isUnicode =
                platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10));
            if (!isUnicode) continue;
            const format = v.getUint16(at);
            if (format === 12) format12 = at;
            if (format === 4) format4 = at;
        }
        const map = new Map<number, number>();
        if (format12 !== undefined) {
            const groups = v.getUint32(format12 + 12);
            for (let g = 0; g < groups; g++) {
                const at = format12 + 16 + g * 12;
                const start = v.getUint32(at);
                const end = v.getUint32(at + 4);
                const firstGlyph = v.getUint32(at + 8);
                for (let cp = start; cp <= end; cp++) map.set(cp, firstGlyph + cp - start);
            }
            return map;
        }
        if (format4 === undefined) {
            throw new FontFormatError('Font has no Unicode character map.');
        }
        const segments = v.getUint16(format4 + 6) / 2;
        const endCodes = format4 + 14;
        const startCodes = endCodes + segments * 2 + 2;
        const deltas = startCodes + segments * 2;
        const rangeOffsets = deltas + segments * 2;
        for (let s = 0; s < segments; s++) {
            const start = v.getUint16(startCodes + s * 2);
            const end = v.getUint16(endCodes + s * 2);
            const delta = v.getInt16(deltas + s * 2);
            const rangeOffset = v.getUint16(rangeOffsets + s * 2);
            for (let cp = start; cp <= end && cp !== 0xffff; cp++) {
                let glyph: number;
                if (rangeOffset === 0) {
                    glyph = (cp + delta) & 0xffff;
                } else {
                    const at = rangeOffsets + s * 2 + rangeOffset + (cp - start) * 2;
                    const raw = v.getUint16(at);
                    glyph = raw === 0 ? 0 : (raw + delta) & 0xffff;
                }
                if (glyph !== 0) map.set(cp, glyph);
            }
        }
        return map;
    }
}

/** Calls `visit` with the offset of each component's glyph index in a composite glyph. */
function forEachComponent(data: Uint8Array, visit: (glyphIndexOffset: number) => void): void {
    if (data.length < 10 || readInt16(data, 0) >= 0) {
        return;
    }
    let offset = 10;
    for (;;) {
        const flags = readUint16(data, offset);
        visit(offset + 2);
        offset += 4 + (flags & ARG_1_AND_2_ARE_WORDS ? 4 : 2);
        if (flags & WE_HAVE_A_SCALE) offset += 2;
        else if (flags & WE_HAVE_AN_X_AND_Y_SCALE) offset += 4;
        else if (flags & WE_HAVE_A_TWO_BY_TWO) offset += 8;
        if (!(flags & MORE_COMPONENTS)) return;
    }
}

function readUint16(data: Uint8Array, at: number): number {
    return (data[at]! << 8) | data[at + 1]!;
}

function readInt16(data: Uint8Array, at: number): number {
    const value = readUint16(data, at);
    return value & 0x8000 ? value - 0x10000 : value;
}

function writeUint16(data: Uint8Array, at: number, value: number): void {
    data[at] = value >> 8;
    data[at + 1] = value & 0xff;
}

function concatBytes(parts: Uint8Array[], length: number): Uint8Array {
    const out = new Uint8Array(length);
    let at = 0;
    for (const part of parts) {
        out.set(part, at);
        at += part.length;
    }
    return out;
}

function checksum(data: Uint8Array): number {
    let sum = 0;
    const padded = (data.length + 3) & ~3;
    for (let i = 0; i < padded; i += 4) {
        const word =
            ((data[i] ?? 0) << 24) |
            ((data[i + 1] ?? 0) << 16) |
            ((data[i + 2] ?? 0) << 8) |
            (data[i + 3] ?? 0);
        sum = (sum + (word >>> 0)) >>> 0;
    }
    return sum;
}

/** An sfnt file from tables given in tag order, each 4-byte aligned, with checksums. */
function writeFontFile(tables: [string, Uint8Array][]): Uint8Array {
    const headerLength = 12 + tables.length * 16;
    const total = tables.reduce((sum, [, data]) => sum + ((data.length + 3) & ~3), headerLength);
    const out = new Uint8Array(total);
    const view = new DataView(out.buffer);
    const entrySelector = Math.floor(Math.log2(tables.length));
    const searchRange = 2 ** entrySelector * 16;
    view.setUint32(0, 0x00010000);
    view.setUint16(4, tables.length);
    view.setUint16(6, searchRange);
    view.setUint16(8, entrySelector);
    view.setUint16(10, tables.length * 16 - searchRange);
    let offset = headerLength;
    tables.forEach(([tag, data], i) => {
        const at = 12 + i * 16;
        for (let c = 0; c < 4; c++) out[at + c] = tag.charCodeAt(c);
        view.setUint32(at + 4, checksum(data));
        view.setUint32(at + 8, offset);
        view.setUint32(at + 12, data.length);
        out.set(data, offset);
        offset += (data.length + 3) & ~3;
    });
    return out;
}

function tableOffsetIn(font: Uint8Array, tag: string): number {
    const view = new DataView(font.buffer, font.byteOffset, font.byteLength);
    const count = view.getUint16(4);
    for (let i = 0; i < count; i++) {
        const at = 12 + i * 16;
        if (String.fromCharCode(...font.subarray(at, at + 4)) === tag) {
            return view.getUint32(at + 8);
        }
    }
    throw new FontFormatError(`No '${tag}' table written.`);
}
