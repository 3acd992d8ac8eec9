/** A number for a content stream: at most two decimals (1/7200 inch), never an exponent. */
export function num(value: number): string {
    const rounded = Math.round(value * 100) / 100;
    return Object.is(rounded, -0) ? '0' : String(rounded);
}

/** UTF-16BE code units as hex, the encoding of PDF text strings and ToUnicode targets. */
export function utf16Hex(text: string): string {
    let hex = '';
    for (let i = 0; i < text.length; i++) {
        hex += text.charCodeAt(i).toString(16).padStart(4, '0');
    }
    return hex;
}
