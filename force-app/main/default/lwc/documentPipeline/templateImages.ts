/**
 * Loads a template's images in the user's session: `StaticResource:Name` from the org's static
 * resources, a File by its ContentVersion (068) or ContentDocument (069) id. Salesforce serves
 * them with the user's own access, so an image the user may not see fails and is left out of the
 * document with a warning (documentMerge's `imageNotLoaded`).
 */
import type { LoadedImage } from 'c/documentMerge';
import notAnImageLabel from '@salesforce/label/c.Resident_DocGen_NotAnImage';
import unknownSourceLabel from '@salesforce/label/c.Resident_DocGen_UnknownImageSource';

/** The URL Salesforce serves an image source at, or null for a source we do not understand. */
export function imageUrl(source: string): string | null {
    const resource = /^StaticResource:(\w+)$/i.exec(source.trim());
    if (resource) {
        // Any timestamp serves the current version; it only busts caches.
        return `/resource/${Date.now()}/${resource[1]}`;
    }
    const version = /^068[a-zA-Z0-9]{12}(?:[a-zA-Z0-9]{3})?$/.exec(source.trim());
    if (version) return `/sfc/servlet.shepherd/version/download/${version[0]}`;
    const document = /^069[a-zA-Z0-9]{12}(?:[a-zA-Z0-9]{3})?$/.exec(source.trim());
    if (document) return `/sfc/servlet.shepherd/document/download/${document[0]}`;
    return null;
}

function readUint16(bytes: Uint8Array, at: number): number {
    return (bytes[at]! << 8) | bytes[at + 1]!;
}

function readUint32(bytes: Uint8Array, at: number): number {
    return (
        ((bytes[at]! << 24) >>> 0) + (bytes[at + 1]! << 16) + (bytes[at + 2]! << 8) + bytes[at + 3]!
    );
}

/** PNG or JPEG with its pixel size, read from the file's own header (no decoding); else null. */
export function imageInfo(
    bytes: Uint8Array
): { format: 'png' | 'jpeg'; width: number; height: number } | null {
    const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
    if (bytes.length >= 24 && png.every((b, i) => bytes[i] === b)) {
        return { format: 'png', width: readUint32(bytes, 16), height: readUint32(bytes, 20) };
    }
    if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
        let at = 2;
        while (at + 9 < bytes.length) {
            if (bytes[at] !== 0xff) return null;
            const marker = bytes[at + 1]!;
            // Start-of-frame markers carry the size; DHT (C4), JPG (C8) and DAC (CC) do not.
            const isFrame =
                marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);
            if (isFrame) {
                return {
                    format: 'jpeg',
                    height: readUint16(bytes, at + 5),
                    width: readUint16(bytes, at + 7)
                };
            }
            at += 2 + readUint16(bytes, at + 2);
        }
    }
    return null;
}

function toBase64(bytes: Uint8Array): string {
    let binary = '';
    const chunk = 0x8000;
    for (let i = 0; i < bytes.length; i += chunk) {
        binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
    }
    return btoa(binary);
}

/** documentMerge's image loader for the generator and the editor. */
export async function loadTemplateImage(source: string): Promise<LoadedImage> {
    const url = imageUrl(source);
    if (!url) throw new Error(unknownSourceLabel);
    // Same origin as the page, in the user's own session: no relay, no third party.
    const response = await fetch(url, { credentials: 'same-origin' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    const info = imageInfo(bytes);
    if (!info) throw new Error(notAnImageLabel);
    return { format: info.format, width: info.width, height: info.height, data: toBase64(bytes) };
}
