/**
 * The rendered image of a credential that the Europass EDC schema requires in
 * `displayParameter` for each language: an SVG built in code, rasterised to PNG by resvg.
 *
 * Fonts: resvg draws text only with fonts it is given. carecred loads DejaVu Sans from the
 * `dejavu-fonts-ttf` npm package and never the system's fonts, so the image is the same on every
 * machine (CI, containers without fonts) and covers Latin, Greek and Cyrillic scripts.
 *
 * Rendering runs on worker threads (render-worker.ts): it costs tens of milliseconds of CPU per
 * image, and resvg encodes the PNG on the calling thread, so on the main thread it would stall
 * HTTP and database work (measured: 40% of the main thread's busy time in a bulk import issuing
 * ob3 + edc). The pool starts on first use; idle threads end by themselves and never keep the
 * process alive.
 */
import {availableParallelism} from 'node:os';

import {Piscina} from 'piscina';

import {labelsFor} from './labels.js';
import {FONT_FAMILY} from './render-worker.js';

const RENDER_THREADS = Math.max(1, availableParallelism());
const IDLE_TIMEOUT_MS = 10_000;
let renderPool: Piscina<string, Uint8Array> | undefined;

/** The render worker: compiled JavaScript, or the bootstrap that loads the TypeScript source. */
function renderWorkerUrl(): string {
  return import.meta.url.endsWith('.ts') ? new URL('./render-worker-bootstrap.mjs', import.meta.url).href :
    new URL('./render-worker.js', import.meta.url).href;
}

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

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, char =>
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

/**
 * Renders the credential image as PNG (on a worker thread).
 *
 * @returns the PNG bytes.
 */
export async function renderCredentialImage(content: CredentialImageContent): Promise<Buffer> {
  renderPool ??= new Piscina<string, Uint8Array>({filename: renderWorkerUrl(), minThreads: 0,
    maxThreads: RENDER_THREADS, idleTimeout: IDLE_TIMEOUT_MS});
  const png = await renderPool.run(credentialImageSvg(content));
  return Buffer.from(png.buffer, png.byteOffset, png.byteLength);
}
