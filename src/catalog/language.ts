/**
 * Picking one text from a language map for a reader.
 *
 * Order (documented in the contract): the languages the reader asked for — `lang` (comma
 * separated, in order) or else `Accept-Language` by descending q-value —, then `en`, then `nl`,
 * then the first language the text has. A requested tag matches exactly, then by RFC 4647
 * lookup (`en-GB` → `en`), then any tag with the same primary language (`en` → `en-GB`).
 */

/** Languages tried after the reader's own, in this order. */
export const FALLBACK_LANGUAGES = ['en', 'nl'] as const;

const MAX_LANGUAGES = 20;
const LANGUAGE_RANGE = /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/;
const Q_VALUE = /^q=(0(\.\d{0,3})?|1(\.0{0,3})?)$/i;

/** A text in the language it was picked in. */
export interface LocalizedText {
  text: string;
  lang: string;
}

/**
 * Parses an Accept-Language header (RFC 9110 §12.5.4); malformed entries and `*` are ignored.
 *
 * @param header - the header value, if any.
 * @returns language tags, highest q-value first (stable for equal q-values).
 */
export function parseAcceptLanguage(header: string | undefined): string[] {
  if(!header) {
    return [];
  }
  const ranges: {tag: string; q: number; order: number}[] = [];
  for(const [order, part] of header.split(',').slice(0, MAX_LANGUAGES).entries()) {
    const [tag = '', ...parameters] = part.trim().split(';').map(piece => piece.trim());
    const qParameter = parameters.find(parameter => /^q=/i.test(parameter));
    if(!LANGUAGE_RANGE.test(tag) || (qParameter !== undefined && !Q_VALUE.test(qParameter))) {
      continue;
    }
    const q = qParameter === undefined ? 1 : Number(qParameter.slice(2));
    if(q > 0) {
      ranges.push({tag, q, order});
    }
  }
  return ranges.sort((a, b) => b.q - a.q || a.order - b.order).map(range => range.tag);
}

/**
 * The order in which languages are tried for a reader.
 *
 * @param options.lang - the `lang` query parameter (comma-separated tags); wins when present.
 * @param options.acceptLanguage - the Accept-Language header.
 * @returns the reader's languages, then the fallbacks, without duplicates.
 */
export function languagePreference({lang, acceptLanguage}: {
  lang?: string; acceptLanguage?: string;
}): string[] {
  const requested = lang ?
    lang.split(',').map(tag => tag.trim()).filter(tag => LANGUAGE_RANGE.test(tag)) :
    parseAcceptLanguage(acceptLanguage);
  const preference: string[] = [];
  for(const tag of [...requested.slice(0, MAX_LANGUAGES), ...FALLBACK_LANGUAGES]) {
    if(!preference.some(seen => seen.toLowerCase() === tag.toLowerCase())) {
      preference.push(tag);
    }
  }
  return preference;
}

/** The key of `available` that best serves the requested tag, if any. */
function matchLanguage(available: string[], requested: string): string | undefined {
  const lower = available.map(tag => tag.toLowerCase());
  const subtags = requested.toLowerCase().split('-');
  for(let length = subtags.length; length > 0; length--) {
    const index = lower.indexOf(subtags.slice(0, length).join('-'));
    if(index >= 0) {
      return available[index];
    }
  }
  const index = lower.findIndex(tag => tag.split('-')[0] === subtags[0]);
  return index >= 0 ? available[index] : undefined;
}

/**
 * Picks the text for a reader from a language map.
 *
 * @param map - the language map (at least one language).
 * @param preference - from `languagePreference`.
 * @returns the text and the language it is in.
 */
export function pickText(map: Record<string, string>, preference: readonly string[]): LocalizedText {
  const available = Object.keys(map);
  for(const requested of preference) {
    const lang = matchLanguage(available, requested);
    if(lang !== undefined) {
      return {text: map[lang]!, lang};
    }
  }
  const [first = ''] = available;
  return {text: map[first] ?? '', lang: first};
}
