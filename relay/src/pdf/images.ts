import type PDFContext from 'pdf-lib/es/core/PDFContext';
import PDFHexString from 'pdf-lib/es/core/objects/PDFHexString';
import type PDFRef from 'pdf-lib/es/core/objects/PDFRef';

/** Why an image cannot be embedded, in words for the person who made the template. */
export class ImageError extends Error {}

export interface EmbeddedImage {
    ref: PDFRef;
    /** Pixels, as read from the file itself. */
    width: number;
    height: number;
}

export interface ImageFileInfo {
    format: 'png' | 'jpeg';
    width: number;
    height: number;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** What the bytes really are, whatever the description claims; undefined when neither. */
export function sniffImageFormat(bytes: Uint8Array): 'png' | 'jpeg' | undefined {
    if (PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return 'png';
    if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
    return undefined;
}

/** Size in pixels from the file's header, without decoding it. */
export function readImageInfo(bytes: Uint8Array): ImageFileInfo {
    const format = sniffImageFormat(bytes);
    if (format === 'png') {
        const header = readPngHeader(bytes);
        return { format, width: header.width, height: header.height };
    }
    if (format === 'jpeg') {
        const frame = readJpegFrame(bytes);
        return { format, width: frame.width, height: frame.height };
    }
    throw new ImageError('is neither a PNG nor a JPEG file');
}

/** Embeds a PNG or JPEG file as an image XObject (PNG transparency as a soft mask). */
export async function embedImage(context: PDFContext, bytes: Uint8Array): Promise<EmbeddedImage> {
    const format = sniffImageFormat(bytes);
    if (format === 'jpeg') return embedJpeg(context, bytes);
    if (format === 'png') return embedPng(context, bytes);
    throw new ImageError('is neither a PNG nor a JPEG file');
}

// ───────────────────────────── JPEG ─────────────────────────────

interface JpegFrame {
    width: number;
    height: number;
    components: number;
    /** Adobe's CMYK JPEGs store inverted values. */
    adobe: boolean;
}

function readJpegFrame(bytes: Uint8Array): JpegFrame {
    let at = 2;
    let adobe = false;
    while (at + 4 <= bytes.length) {
        if (bytes[at] !== 0xff) throw new ImageError('is a damaged JPEG file');
        const marker = bytes[at + 1]!;
        if (marker === 0xff) {
            at++;
            continue;
        }
        const length = (bytes[at + 2]! << 8) | bytes[at + 3]!;
        if (marker === 0xee) adobe = true;
        // SOF0 baseline, SOF1 extended, SOF2 progressive: what PDF's DCTDecode reads everywhere.
        if (marker === 0xc0 || marker === 0xc1 || marker === 0xc2) {
            if (at + 10 > bytes.length) break;
            return {
                height: (bytes[at + 5]! << 8) | bytes[at + 6]!,
                width: (bytes[at + 7]! << 8) | bytes[at + 8]!,
                components: bytes[at + 9]!,
                adobe
            };
        }
        if (
            marker >= 0xc3 &&
            marker <= 0xcf &&
            marker !== 0xc4 &&
            marker !== 0xc8 &&
            marker !== 0xcc
        ) {
            throw new ImageError(
                'is a JPEG in a coding PDF viewers cannot show (lossless or arithmetic)'
            );
        }
        at += 2 + length;
    }
    throw new ImageError('is a damaged JPEG file (no image size found)');
}

function embedJpeg(context: PDFContext, bytes: Uint8Array): EmbeddedImage {
    const frame = readJpegFrame(bytes);
    const colorSpace = { 1: 'DeviceGray', 3: 'DeviceRGB', 4: 'DeviceCMYK' }[frame.components];
    if (!colorSpace) throw new ImageError(`is a JPEG with ${frame.components} colour channels`);
    const stream = context.stream(bytes, {
        Type: 'XObject',
        Subtype: 'Image',
        Width: frame.width,
        Height: frame.height,
        ColorSpace: colorSpace,
        BitsPerComponent: 8,
        Filter: 'DCTDecode',
        ...(frame.components === 4 && frame.adobe ? { Decode: [1, 0, 1, 0, 1, 0, 1, 0] } : {})
    });
    return { ref: context.register(stream), width: frame.width, height: frame.height };
}

// ───────────────────────────── PNG ─────────────────────────────

interface PngHeader {
    width: number;
    height: number;
    bitDepth: number;
    colorType: number;
    interlaced: boolean;
}

interface PngFile extends PngHeader {
    palette?: Uint8Array;
    transparency?: Uint8Array;
    data: Uint8Array<ArrayBuffer>;
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const VALID_DEPTHS: Record<number, number[]> = {
    0: [1, 2, 4, 8, 16],
    2: [8, 16],
    3: [1, 2, 4, 8],
    4: [8, 16],
    6: [8, 16]
};

function readPngHeader(bytes: Uint8Array): PngHeader {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (bytes.length < 33 || String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') {
        throw new ImageError('is a damaged PNG file (no header)');
    }
    const header = {
        width: view.getUint32(16),
        height: view.getUint32(20),
        bitDepth: bytes[24]!,
        colorType: bytes[25]!,
        interlaced: bytes[28] === 1
    };
    if (
        !VALID_DEPTHS[header.colorType]?.includes(header.bitDepth) ||
        header.width === 0 ||
        header.height === 0
    ) {
        throw new ImageError('is a PNG with an invalid header');
    }
    return header;
}

function readPng(bytes: Uint8Array): PngFile {
    const header = readPngHeader(bytes);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const chunks: Uint8Array[] = [];
    let palette: Uint8Array | undefined;
    let transparency: Uint8Array | undefined;
    let at = 8;
    let total = 0;
    while (at + 8 <= bytes.length) {
        const length = view.getUint32(at);
        const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
        const body = bytes.subarray(at + 8, at + 8 + length);
        if (body.length !== length) throw new ImageError('is a damaged PNG file (cut short)');
        if (type === 'PLTE') palette = body;
        else if (type === 'tRNS') transparency = body;
        else if (type === 'IDAT') {
            chunks.push(body);
            total += length;
        } else if (type === 'IEND') break;
        at += 12 + length;
    }
    if (chunks.length === 0) throw new ImageError('is a damaged PNG file (no image data)');
    if (header.colorType === 3 && !palette) throw new ImageError('is a PNG without its palette');
    const data = new Uint8Array(total);
    let offset = 0;
    for (const chunk of chunks) {
        data.set(chunk, offset);
        offset += chunk.length;
    }
    return { ...header, palette, transparency, data };
}

async function embedPng(context: PDFContext, bytes: Uint8Array): Promise<EmbeddedImage> {
    const png = readPng(bytes);
    const hasAlpha = png.colorType === 4 || png.colorType === 6 || png.transparency !== undefined;
    if (!hasAlpha && !png.interlaced) {
        // The PNG's own compressed rows are valid PDF image data: no decoding, no extra memory.
        return {
            ref: context.register(passThroughPng(context, png)),
            width: png.width,
            height: png.height
        };
    }
    const { color, alpha, channels } = await decodePng(png);
    const smask = context.register(
        context.flateStream(alpha, {
            Type: 'XObject',
            Subtype: 'Image',
            Width: png.width,
            Height: png.height,
            ColorSpace: 'DeviceGray',
            BitsPerComponent: 8
        })
    );
    const image = context.flateStream(color, {
        Type: 'XObject',
        Subtype: 'Image',
        Width: png.width,
        Height: png.height,
        ColorSpace: channels === 1 ? 'DeviceGray' : 'DeviceRGB',
        BitsPerComponent: 8,
        SMask: smask
    });
    return { ref: context.register(image), width: png.width, height: png.height };
}

function passThroughPng(context: PDFContext, png: PngFile) {
    const colors = png.colorType === 2 ? 3 : 1;
    const colorSpace =
        png.colorType === 3
            ? [
                  'Indexed',
                  'DeviceRGB',
                  png.palette!.length / 3 - 1,
                  PDFHexString.of(toHex(png.palette!))
              ]
            : colors === 3
              ? 'DeviceRGB'
              : 'DeviceGray';
    return context.stream(png.data, {
        Type: 'XObject',
        Subtype: 'Image',
        Width: png.width,
        Height: png.height,
        ColorSpace: colorSpace,
        BitsPerComponent: png.bitDepth,
        Filter: 'FlateDecode',
        DecodeParms: {
            Predictor: 15,
            Colors: colors,
            BitsPerComponent: png.bitDepth,
            Columns: png.width
        }
    });
}

/** Decodes to 8-bit colour (grey or RGB) and an 8-bit alpha plane, for transparency or interlace. */
async function decodePng(
    png: PngFile
): Promise<{ color: Uint8Array; alpha: Uint8Array; channels: 1 | 3 }> {
    const raw = await inflate(png.data);
    const { width, height, bitDepth, colorType } = png;
    const channels = colorType === 0 || colorType === 4 ? 1 : 3;
    const color = new Uint8Array(width * height * channels);
    const alpha = new Uint8Array(width * height).fill(255);
    const samplesPerPixel = CHANNELS[colorType]!;
    const bitsPerPixel = samplesPerPixel * bitDepth;
    const bytesPerPixel = Math.max(1, bitsPerPixel >> 3);
    const maxSample = (1 << bitDepth) - 1;
    const trns = png.transparency;
    const keyValue = (i: number) =>
        trns && trns.length >= i * 2 + 2 ? (trns[i * 2]! << 8) | trns[i * 2 + 1]! : -1;
    const grayKey = colorType === 0 ? keyValue(0) : -1;
    const rgbKey = colorType === 2 ? [keyValue(0), keyValue(1), keyValue(2)] : undefined;

    const passes = png.interlaced
        ? [
              [0, 0, 8, 8],
              [4, 0, 8, 8],
              [0, 4, 4, 8],
              [2, 0, 4, 4],
              [0, 2, 2, 4],
              [1, 0, 2, 2],
              [0, 1, 1, 2]
          ]
        : [[0, 0, 1, 1]];
    let offset = 0;
    for (const [x0, y0, dx, dy] of passes as [number, number, number, number][]) {
        const passWidth = Math.ceil((width - x0) / dx);
        const passHeight = Math.ceil((height - y0) / dy);
        if (passWidth <= 0 || passHeight <= 0) continue;
        const rowBytes = Math.ceil((passWidth * bitsPerPixel) / 8);
        let previous: Uint8Array = new Uint8Array(rowBytes);
        for (let row = 0; row < passHeight; row++) {
            if (offset + 1 + rowBytes > raw.length)
                throw new ImageError('is a damaged PNG file (too little data)');
            const filter = raw[offset]!;
            const line = raw.subarray(offset + 1, offset + 1 + rowBytes);
            unfilter(filter, line, previous, bytesPerPixel);
            offset += 1 + rowBytes;
            const y = y0 + row * dy;
            for (let col = 0; col < passWidth; col++) {
                const pixel = y * width + x0 + col * dx;
                const sample = (s: number): number => {
                    if (bitDepth === 8) return line[col * samplesPerPixel + s]!;
                    if (bitDepth === 16) {
                        const at = (col * samplesPerPixel + s) * 2;
                        return (line[at]! << 8) | line[at + 1]!;
                    }
                    const bit = col * bitDepth;
                    return (line[bit >> 3]! >> (8 - bitDepth - (bit & 7))) & maxSample;
                };
                const to8 = (v: number) =>
                    bitDepth === 16
                        ? v >> 8
                        : bitDepth === 8
                          ? v
                          : Math.round((v * 255) / maxSample);
                if (colorType === 3) {
                    const index = sample(0);
                    color.set(png.palette!.subarray(index * 3, index * 3 + 3), pixel * 3);
                    if (trns && index < trns.length) alpha[pixel] = trns[index]!;
                } else if (channels === 1) {
                    const v = sample(0);
                    color[pixel] = to8(v);
                    if (colorType === 4) alpha[pixel] = to8(sample(1));
                    else if (v === grayKey) alpha[pixel] = 0;
                } else {
                    const r = sample(0);
                    const g = sample(1);
                    const b = sample(2);
                    color[pixel * 3] = to8(r);
                    color[pixel * 3 + 1] = to8(g);
                    color[pixel * 3 + 2] = to8(b);
                    if (colorType === 6) alpha[pixel] = to8(sample(3));
                    else if (rgbKey && r === rgbKey[0] && g === rgbKey[1] && b === rgbKey[2])
                        alpha[pixel] = 0;
                }
            }
            previous = line;
        }
    }
    return { color, alpha, channels };
}

function unfilter(filter: number, line: Uint8Array, previous: Uint8Array, bpp: number): void {
    const n = line.length;
    switch (filter) {
        case 0:
            return;
        case 1:
            for (let i = bpp; i < n; i++) line[i] = (line[i]! + line[i - bpp]!) & 0xff;
            return;
        case 2:
            for (let i = 0; i < n; i++) line[i] = (line[i]! + previous[i]!) & 0xff;
            return;
        case 3:
            for (let i = 0; i < n; i++) {
                const left = i >= bpp ? line[i - bpp]! : 0;
                line[i] = (line[i]! + ((left + previous[i]!) >> 1)) & 0xff;
            }
            return;
        case 4:
            for (let i = 0; i < n; i++) {
                const a = i >= bpp ? line[i - bpp]! : 0;
                const b = previous[i]!;
                const c = i >= bpp ? previous[i - bpp]! : 0;
                const p = a + b - c;
                const pa = Math.abs(p - a);
                const pb = Math.abs(p - b);
                const pc = Math.abs(p - c);
                line[i] = (line[i]! + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c)) & 0xff;
            }
            return;
        default:
            throw new ImageError('is a damaged PNG file (unknown row filter)');
    }
}

async function inflate(data: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
    try {
        const stream = new Blob([data]).stream().pipeThrough(new DecompressionStream('deflate'));
        return new Uint8Array(await new Response(stream).arrayBuffer());
    } catch {
        throw new ImageError('is a damaged PNG file (its data does not decompress)');
    }
}

function toHex(bytes: Uint8Array): string {
    let hex = '';
    for (const b of bytes) hex += b.toString(16).padStart(2, '0');
    return hex;
}
