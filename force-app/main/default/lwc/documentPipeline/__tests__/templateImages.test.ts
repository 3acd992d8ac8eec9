import { imageInfo, imageUrl, loadTemplateImage } from '../templateImages';

function png(width: number, height: number): Uint8Array {
    const bytes = new Uint8Array(33);
    bytes.set([
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52
    ]);
    new DataView(bytes.buffer).setUint32(16, width);
    new DataView(bytes.buffer).setUint32(20, height);
    return bytes;
}

function jpeg(width: number, height: number): Uint8Array {
    // SOI, an APP0 segment of 16 bytes, then SOF0 with height and width.
    const app0 = [0xff, 0xe0, 0x00, 0x10, ...new Array(14).fill(0)];
    const sof0 = [
        0xff,
        0xc0,
        0x00,
        0x11,
        0x08,
        height >> 8,
        height & 255,
        width >> 8,
        width & 255,
        3
    ];
    return new Uint8Array([0xff, 0xd8, ...app0, ...sof0, ...new Array(10).fill(0)]);
}

describe('documentPipeline templateImages', () => {
    it('maps static resources and File ids to the URLs Salesforce serves them at', () => {
        expect(imageUrl('StaticResource:Resident_SampleLogo')).toMatch(
            /^\/resource\/\d+\/Resident_SampleLogo$/
        );
        expect(imageUrl('068000000000001AAA')).toBe(
            '/sfc/servlet.shepherd/version/download/068000000000001AAA'
        );
        expect(imageUrl('069000000000001')).toBe(
            '/sfc/servlet.shepherd/document/download/069000000000001'
        );
        expect(imageUrl('https://evil.example.com/x.png')).toBeNull();
        expect(imageUrl('StaticResource:../secret')).toBeNull();
    });

    it('reads the format and pixel size from PNG and JPEG headers, and refuses anything else', () => {
        expect(imageInfo(png(640, 200))).toEqual({ format: 'png', width: 640, height: 200 });
        expect(imageInfo(jpeg(300, 1200))).toEqual({ format: 'jpeg', width: 300, height: 1200 });
        expect(
            imageInfo(Uint8Array.from('GIF89a........................', (c) => c.charCodeAt(0)))
        ).toBeNull();
    });

    it('loads an image in the user session and refuses what is not PNG or JPEG', async () => {
        const body = png(2, 3);
        const fetchMock = jest.fn().mockResolvedValue({
            ok: true,
            status: 200,
            arrayBuffer: () => Promise.resolve(body.buffer)
        });
        Object.assign(globalThis, { fetch: fetchMock });
        const image = await loadTemplateImage('StaticResource:Logo');
        expect(fetchMock.mock.calls[0][1]).toEqual({ credentials: 'same-origin' });
        expect(image).toMatchObject({ format: 'png', width: 2, height: 3 });
        expect(atob(image.data).length).toBe(body.length);

        fetchMock.mockResolvedValue({ ok: false, status: 404 });
        await expect(loadTemplateImage('StaticResource:Missing')).rejects.toThrow('HTTP 404');
        await expect(loadTemplateImage('javascript:alert(1)')).rejects.toThrow(
            'c.Resident_DocGen_UnknownImageSource'
        );
    });
});
