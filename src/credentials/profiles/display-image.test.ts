import {crc32, inflateSync} from 'node:zlib';

import {Resvg} from '@resvg/resvg-js';

import {CREDENTIAL_IMAGE_SIZE, type CredentialImageContent, credentialImageSvg, RENDER_OPTIONS,
  renderCredentialImage, renderCredentialImagePng} from './display-image.js';

const CONTENT: CredentialImageContent = {
  language: 'nl', title: 'Beeldzorg in de praktijk', learnerName: 'Fenna de Vries',
  issuerName: 'Zorgcollege Noord', issuedAt: new Date('2025-03-14T10:15:30Z'),
  validUntil: new Date('2028-03-14T10:15:30Z'), ectsCredits: 1.5, eqfLevel: 4, workloadHours: 28,
  credentialId: 'urn:uuid:3f1c2a4e-8b7d-4c6e-9a1b-2d3e4f5a6b7c'
};

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): {width: number; height: number} {
  return {width: png.readUInt32BE(16), height: png.readUInt32BE(20)};
}

describe('renderCredentialImage', () => {
  test('when a credential is rendered, then it is a PNG of the documented size', async () => {
    const png = await renderCredentialImage(CONTENT);

    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
    expect(pngSize(png)).toEqual(CREDENTIAL_IMAGE_SIZE);
    expect(png.length).toBeGreaterThan(20_000);
    expect(png.length).toBeLessThan(400_000);
  });

  test('when only the learner\'s name differs, then the images differ (the bundled font draws text)', async () => {
    const fenna = await renderCredentialImage(CONTENT);
    const fennaAgain = await renderCredentialImage({...CONTENT});
    const jan = await renderCredentialImage({...CONTENT, learnerName: 'Jan Bakker'});

    expect(fennaAgain.equals(fenna)).toBe(true);
    expect(jan.equals(fenna)).toBe(false);
  });

  test('when rendered on a worker thread or in the thread pool, then the PNGs are the same', async () => {
    const pooled = await renderCredentialImage(CONTENT);

    const onThread = renderCredentialImagePng(CONTENT);

    expect(onThread.equals(pooled)).toBe(true);
  });

  test('when carecred encodes the PNG, then its pixels are resvg\'s (RGBA rows, checksums valid)', () => {
    const png = renderCredentialImagePng(CONTENT);

    const chunks: {type: string; data: Buffer; crcValid: boolean}[] = [];
    for(let at = 8; at < png.length;) {
      const length = png.readUInt32BE(at);
      chunks.push({type: png.subarray(at + 4, at + 8).toString('latin1'), data: png.subarray(at + 8, at + 8 + length),
        crcValid: crc32(png.subarray(at + 4, at + 8 + length)) === png.readUInt32BE(at + 8 + length)});
      at += 12 + length;
    }
    const rows = inflateSync(Buffer.concat(chunks.filter(chunk => chunk.type === 'IDAT').map(chunk => chunk.data)));
    const {width, height} = CREDENTIAL_IMAGE_SIZE;
    const pixels = Buffer.concat(Array.from({length: height}, (_, y) =>
      rows.subarray(y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1))));
    const expected = new Resvg(credentialImageSvg(CONTENT), RENDER_OPTIONS).render().pixels;
    expect(chunks.map(chunk => [chunk.type, chunk.crcValid])).toEqual([['IHDR', true], ['IDAT', true], ['IEND', true]]);
    expect(pixels.equals(expected)).toBe(true);
  });

  test('when texts hold markup characters, then the SVG escapes them', () => {
    const svg = credentialImageSvg({...CONTENT, title: 'Zorg <script> & "apps"'});

    expect(svg).toContain('Zorg &lt;script&gt; &amp; &quot;apps&quot;');
    expect(svg).not.toContain('<script>');
  });

  test('when texts hold characters XML cannot carry, then they are dropped and the image renders', async () => {
    const content = {...CONTENT, learnerName: 'Fen\u0003na\uD800 de\u0000 Vries\uFFFE', title: 'Beeld\u001Fzorg'};

    const png = await renderCredentialImage(content);

    expect(pngSize(png)).toEqual(CREDENTIAL_IMAGE_SIZE);
    expect(credentialImageSvg(content)).toContain('>Fenna de Vries<');
  });

  test('when the language is Dutch, then labels and dates are Dutch', () => {
    const svg = credentialImageSvg(CONTENT);

    expect(svg).toContain('toegekend aan');
    expect(svg).toContain('14 maart 2025');
    expect(svg).toContain('1,5 ECTS-studiepunten');
  });
});
