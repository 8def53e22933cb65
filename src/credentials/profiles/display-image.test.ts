import {crc32} from 'node:zlib';

import {Resvg} from '@resvg/resvg-js';
import {convertIndexedToRgb, decode} from 'fast-png';

import {CREDENTIAL_IMAGE_SIZE, type CredentialImageContent, credentialImageSvg, encodePng, RENDER_OPTIONS,
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

/** The PNG's chunk types in order; throws when a chunk's checksum is wrong. */
function chunkTypes(png: Buffer): string[] {
  const types: string[] = [];
  for(let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    if(crc32(png.subarray(at + 4, at + 8 + length)) !== png.readUInt32BE(at + 8 + length)) {
      throw new Error(`bad checksum on chunk at ${at}`);
    }
    types.push(png.subarray(at + 4, at + 8).toString('latin1'));
    at += 12 + length;
  }
  return types;
}

/** RGB bytes of RGBA pixels. */
function withoutAlpha(rgba: Uint8Array): Buffer {
  return Buffer.from(rgba.filter((_, i) => i % 4 !== 3));
}

describe('renderCredentialImage', () => {
  test('when a credential is rendered, then it is a PNG of the documented size', async () => {
    const png = await renderCredentialImage(CONTENT);

    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
    expect(pngSize(png)).toEqual(CREDENTIAL_IMAGE_SIZE);
    expect(png.length).toBeGreaterThan(10_000);
    expect(png.length).toBeLessThan(60_000);
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

  test('when carecred encodes the PNG, then an independent decoder reads resvg\'s pixels from it', () => {
    const png = renderCredentialImagePng(CONTENT);

    const decoded = decode(png);
    const expected = new Resvg(credentialImageSvg(CONTENT), RENDER_OPTIONS).render().pixels;
    expect(decoded.palette?.length).toBeLessThanOrEqual(256);
    expect(Buffer.from(convertIndexedToRgb(decoded)).equals(withoutAlpha(expected))).toBe(true);
    expect(chunkTypes(png)).toEqual(['IHDR', 'PLTE', 'IDAT', 'IEND']);
  });

  test('when an image has more than 256 colours, then it is encoded as RGBA, still losslessly', () => {
    const width = 300;
    const height = 2;
    const rgba = Uint8Array.from({length: width * height * 4},
      (_, i) => i % 4 === 3 ? 200 + (i % 7) : (i * 7) % 256);

    const png = encodePng({width, height, rgba});

    const decoded = decode(png);
    expect(decoded).toMatchObject({width, height, channels: 4, depth: 8});
    expect(Buffer.from(decoded.data as Uint8Array).equals(Buffer.from(rgba))).toBe(true);
    expect(chunkTypes(png)).toEqual(['IHDR', 'IDAT', 'IEND']);
  });

  test('when a few colours are translucent, then the palette carries their alpha', () => {
    const rgba = Uint8Array.from([255, 0, 0, 255, 0, 0, 255, 128, 255, 0, 0, 255, 0, 255, 0, 0]);

    const png = encodePng({width: 2, height: 2, rgba});

    const decoded = decode(png);
    expect(chunkTypes(png)).toEqual(['IHDR', 'PLTE', 'tRNS', 'IDAT', 'IEND']);
    expect(Buffer.from(convertIndexedToRgb(decoded)).equals(Buffer.from(rgba))).toBe(true);
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
