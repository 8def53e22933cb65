/**
 * The image-rendering worker thread (a piscina task handler): SVG in, PNG out, with resvg and the
 * bundled DejaVu fonts. resvg-js parses and rasterises in libuv's thread pool but encodes the PNG
 * synchronously on the calling thread (~20 ms per 1200×848 image): here, not on the event loop.
 */
import {createRequire} from 'node:module';
import {dirname, join} from 'node:path';
import {setFlagsFromString} from 'node:v8';
import {runInNewContext} from 'node:vm';

import {renderAsync} from '@resvg/resvg-js';

const require = createRequire(import.meta.url);
const FONT_DIR = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
/** The font family the SVG names. */
export const FONT_FAMILY = 'DejaVu Sans';
const OPTIONS = {
  font: {loadSystemFonts: false, fontFiles: ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map(file => join(FONT_DIR, file)),
    defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY},
  fitTo: {mode: 'original' as const},
  background: '#ffffff'
};

// The pixmap is freed when V8 collects the small JS handle of the rendered image, and this
// thread makes too little garbage for V8 to collect often on its own.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
const IMAGES_PER_COLLECTION = 4;
let rendered = 0;

/**
 * Renders an SVG document to PNG. `renderAsync`, not the synchronous `Resvg#render`: the latter
 * never frees its 4 MB pixmap (measured with resvg-js 2.6.2: RSS +4 MB per image, also after a
 * full collection); the asynchronous one does.
 *
 * @returns the PNG bytes.
 */
export async function renderPng(svg: string): Promise<Uint8Array> {
  const png = (await renderAsync(svg, OPTIONS)).asPng();
  if(++rendered % IMAGES_PER_COLLECTION === 0) {
    collectGarbage();
  }
  return png;
}

export default renderPng;
