import { num } from './numbers';

/** A link area on a page, in PDF coordinates (origin bottom left). */
export interface LinkArea {
    uri: string;
    rect: [number, number, number, number];
}

/**
 * What is drawn on one page: content-stream operators as text, kept only until the page is
 * finished (then compressed and dropped), plus the page's link areas.
 */
export class PageCanvas {
    readonly ops: string[] = [];
    readonly links: LinkArea[] = [];

    addLink(uri: string, x1: number, y1: number, x2: number, y2: number): void {
        this.links.push({ uri, rect: [x1, y1, x2, y2] });
    }

    fillRect(x: number, y: number, width: number, height: number, rgb: string): void {
        this.ops.push(`${rgb} rg`, `${num(x)} ${num(y)} ${num(width)} ${num(height)} re f`);
    }

    line(x1: number, y1: number, x2: number, y2: number, width: number, rgb: string): void {
        this.ops.push(
            `${rgb} RG ${num(width)} w`,
            `${num(x1)} ${num(y1)} m ${num(x2)} ${num(y2)} l S`
        );
    }

    /**
     * An image XObject scaled to `width` × `height` with its lower left corner at (x, y), marked
     * with its alternative text so assistive technology and text extraction can describe it.
     */
    image(name: string, x: number, y: number, width: number, height: number, altHex: string): void {
        this.ops.push(
            `/Figure <</Alt <${altHex}>>> BDC`,
            'q',
            `${num(width)} 0 0 ${num(height)} ${num(x)} ${num(y)} cm`,
            `/${name} Do`,
            'Q',
            'EMC'
        );
    }

    get isEmpty(): boolean {
        return this.ops.length === 0;
    }

    toContentStream(): string {
        return this.ops.join('\n');
    }
}

/** `#RRGGBB` as PDF colour operands (`r g b`, 0..1). */
export function rgbOperands(hex: string): string {
    const value = Number.parseInt(hex.slice(1), 16);
    return [(value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff]
        .map((channel) => num(channel / 255))
        .join(' ');
}
