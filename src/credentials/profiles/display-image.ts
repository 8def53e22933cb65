/**
 * The rendered image of a credential that the Europass EDC schema requires in
 * `displayParameter` for each language: an SVG built in code, rasterised to PNG by resvg.
 *
 * Fonts: resvg draws text only with fonts it is given. carecred loads DejaVu Sans from the
 * `dejavu-fonts-ttf` npm package and never the system's fonts, so the image is the same on every
 * machine (CI, containers without fonts) and covers Latin, Greek and Cyrillic scripts.
 *
 * Speed (~20 ms of CPU per image, most of an EDC credential's cost): the issuing service renders
 * on the signing worker threads (`renderCredentialImagePng`, the signer's `renderImage`), never on
 * the event loop; `renderCredentialImage` renders in libuv's thread pool. The PNG is encoded
 * here from resvg's pixels (`encodePng`: the same pixels in indexed colour, ~25 KB where
 * resvg's own RGBA encoding gives ~62 KB, in the same ~9 ms).
 */
import {createRequire} from 'node:module';
import {dirname, join} from 'node:path';
import {crc32, deflateSync} from 'node:zlib';

import {renderAsync, Resvg, type ResvgRenderOptions} from '@resvg/resvg-js';

import {labelsFor} from './labels.js';

const require = createRequire(import.meta.url);
const FONT_DIR = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const FONT_FAMILY = 'DejaVu Sans';
const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map(file => join(FONT_DIR, file));

/** Pixel size of the rendered image (A4 landscape proportions). */
export const CREDENTIAL_IMAGE_SIZE = {width: 1200, height: 848} as const;

/** What the image shows, already in its language. */
export interface CredentialImageContent {
  /** BCP 47 tag of the image's language (labels and date format). */
  language: string;
  title: string;
  learnerName: string;
  issuerName: string;
  issuedAt: Date;
  validUntil?: Date;
  ectsCredits?: number;
  eqfLevel?: number;
  workloadHours?: number;
  credentialId: string;
}

/** Code points XML 1.0 does not allow in a document (control characters, lone surrogates, U+FFFE/F). */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Escapes markup and drops what XML cannot hold (a learner's name may carry a stray control character). */
function escapeXml(text: string): string {
  return text.replace(NOT_XML_CHAR, '').replace(/[<>&"']/g, char =>
    ({'<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', '\'': '&apos;'})[char]!);
}

/** Breaks text into lines of at most `maxChars` characters (DejaVu Sans averages ~0.6 em). */
function wrap(text: string, maxChars: number, maxLines: number): string[] {
  const lines: string[] = [];
  let line = '';
  for(const word of text.split(/\s+/).filter(Boolean)) {
    if(line && (line + ' ' + word).length > maxChars) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  lines.push(line);
  if(lines.length > maxLines) {
    lines.length = maxLines;
    lines[maxLines - 1] = lines[maxLines - 1]!.replace(/.{0,2}$/, '…');
  }
  return lines;
}

function formatDate(date: Date, language: string): string {
  try {
    return new Intl.DateTimeFormat(language, {dateStyle: 'long', timeZone: 'UTC'}).format(date);
  } catch {
    return date.toISOString().slice(0, 10);
  }
}

function formatNumber(value: number, language: string): string {
  try {
    return new Intl.NumberFormat(language, {maximumFractionDigits: 2}).format(value);
  } catch {
    return String(value);
  }
}

function text({x, y, size, content, weight = 'normal', fill = '#1d2b36', anchor = 'middle'}: {
  x: number; y: number; size: number; content: string; weight?: string; fill?: string; anchor?: string;
}): string {
  return `<text x="${x}" y="${y}" font-family="${FONT_FAMILY}" font-size="${size}" font-weight="${weight}" ` +
    `fill="${fill}" text-anchor="${anchor}">${escapeXml(content)}</text>`;
}

function factsLine(content: CredentialImageContent): string {
  const labels = labelsFor(content.language);
  const number = (value: number) => formatNumber(value, content.language);
  return [
    content.ectsCredits === undefined ? undefined : `${number(content.ectsCredits)} ${labels.credits}`,
    content.eqfLevel === undefined ? undefined : `${labels.eqfLevel} ${content.eqfLevel}`,
    content.workloadHours === undefined ? undefined :
      `${labels.workload}: ${number(content.workloadHours)} ${labels.hours}`
  ].filter(Boolean).join('  ·  ');
}

/**
 * The credential as an SVG document.
 *
 * @returns the SVG source.
 */
export function credentialImageSvg(content: CredentialImageContent): string {
  const {width, height} = CREDENTIAL_IMAGE_SIZE;
  const labels = labelsFor(content.language);
  const centre = width / 2;
  const titleLines = wrap(content.title, 38, 3);
  const titleTop = 300 - (titleLines.length - 1) * 28;
  const dates = [`${labels.issuedOn}: ${formatDate(content.issuedAt, content.language)}`,
    content.validUntil && `${labels.validUntil}: ${formatDate(content.validUntil, content.language)}`]
    .filter(Boolean).join('  ·  ');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<rect x="24" y="24" width="${width - 48}" height="${height - 48}" fill="none" stroke="#0b6e75" stroke-width="6"/>`,
    `<rect x="40" y="40" width="${width - 80}" height="${height - 80}" fill="none" stroke="#8fc7cb" stroke-width="2"/>`,
    text({x: centre, y: 130, size: 30, content: labels.microCredential.toUpperCase(), weight: 'bold', fill: '#0b6e75'}),
    text({x: centre, y: 180, size: 26, content: content.issuerName}),
    ...titleLines.map((line, index) =>
      text({x: centre, y: titleTop + index * 56, size: 46, content: line, weight: 'bold'})),
    text({x: centre, y: 470, size: 24, content: labels.awardedTo, fill: '#4a5a66'}),
    text({x: centre, y: 530, size: 42, content: content.learnerName, weight: 'bold'}),
    text({x: centre, y: 630, size: 24, content: factsLine(content)}),
    text({x: centre, y: 680, size: 22, content: dates, fill: '#4a5a66'}),
    text({x: centre, y: 780, size: 14, content: content.credentialId, fill: '#6b7b86'}),
    '</svg>'
  ].join('\n');
}

/** How resvg renders the image (bundled fonts only, original size, white background). */
export const RENDER_OPTIONS: ResvgRenderOptions = {
  font: {loadSystemFonts: false, fontFiles: FONT_FILES, defaultFontFamily: FONT_FAMILY,
    sansSerifFamily: FONT_FAMILY},
  fitTo: {mode: 'original'},
  background: '#ffffff'
};
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** PNG colour types (ISO/IEC 15948, 11.2.2). */
const INDEXED_COLOUR = 3;
const TRUECOLOUR_WITH_ALPHA = 6;

function pngChunk(type: string, data: Buffer): Buffer {
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  chunk.write(type, 4, 'latin1');
  data.copy(chunk, 8);
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + data.length)), 8 + data.length);
  return chunk;
}

/** The image's pixels as palette indices, or undefined when it has more than 256 colours. */
function toPalette({width, height, rgba}: {width: number; height: number; rgba: Uint8Array}):
  {palette: Buffer; alphas: Buffer; rows: Buffer} | undefined {
  const aligned = rgba.byteOffset % 4 === 0 ? rgba : Uint8Array.from(rgba);
  const pixels = new Uint32Array(aligned.buffer, aligned.byteOffset, width * height);
  const indexOf = new Map<number, number>();
  const colours: number[] = [];
  const rows = Buffer.alloc((width + 1) * height);
  // Text is drawn in a few colours on white, so neighbours mostly repeat: look a colour up only
  // when it changes.
  let previous = -1;
  let index = 0;
  for(let y = 0, at = 0; y < height; y++) {
    const rowStart = y * (width + 1) + 1;
    for(let x = 0; x < width; x++, at++) {
      const colour = pixels[at]!;
      if(colour !== previous) {
        let known = indexOf.get(colour);
        if(known === undefined) {
          if(colours.length === 256) {
            return undefined;
          }
          known = colours.push(at) - 1;
          indexOf.set(colour, known);
        }
        previous = colour;
        index = known;
      }
      rows[rowStart + x] = index;
    }
  }
  const palette = Buffer.alloc(colours.length * 3);
  const alphas = Buffer.alloc(colours.length);
  colours.forEach((pixel, i) => {
    palette.set(aligned.subarray(pixel * 4, pixel * 4 + 3), i * 3);
    alphas[i] = aligned[pixel * 4 + 3]!;
  });
  return {palette, alphas, rows};
}

/**
 * Encodes 8-bit RGBA pixels as a PNG, losslessly: indexed colour when the image has at most 256
 * colours (a credential image has about a hundred: a few colours and their anti-aliasing on white;
 * ~40% of the RGBA size, which halves what an EDC credential weighs to store, send and verify),
 * else truecolour with alpha. Filter type 0 on every row; node's zlib does the compression.
 *
 * @returns the PNG bytes.
 */
export function encodePng({width, height, rgba}: {width: number; height: number; rgba: Uint8Array}): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  const indexed = toPalette({width, height, rgba});
  if(indexed) {
    header.set([8, INDEXED_COLOUR, 0, 0, 0], 8);
    const opaque = indexed.alphas.every(alpha => alpha === 255);
    return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', header), pngChunk('PLTE', indexed.palette),
      ...(opaque ? [] : [pngChunk('tRNS', indexed.alphas)]),
      pngChunk('IDAT', deflateSync(indexed.rows, {level: 6})), pngChunk('IEND', Buffer.alloc(0))]);
  }
  const stride = width * 4;
  const rows = Buffer.alloc((stride + 1) * height);
  for(let y = 0; y < height; y++) {
    rows.set(rgba.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  header.set([8, TRUECOLOUR_WITH_ALPHA, 0, 0, 0], 8);
  return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', header), pngChunk('IDAT', deflateSync(rows, {level: 1})),
    pngChunk('IEND', Buffer.alloc(0))]);
}

/**
 * Renders the credential image as PNG on the calling thread (for worker threads).
 *
 * @returns the PNG bytes.
 */
export function renderCredentialImagePng(content: CredentialImageContent): Buffer {
  const image = new Resvg(credentialImageSvg(content), RENDER_OPTIONS).render();
  return encodePng({width: image.width, height: image.height, rgba: image.pixels});
}

/**
 * Renders the credential image as PNG (rasterised in libuv's thread pool).
 *
 * @returns the PNG bytes.
 */
export async function renderCredentialImage(content: CredentialImageContent): Promise<Buffer> {
  const image = await renderAsync(credentialImageSvg(content), RENDER_OPTIONS);
  return encodePng({width: image.width, height: image.height, rgba: image.pixels});
}
