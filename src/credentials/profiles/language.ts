/**
 * Languages of a credential. Units carry text as BCP 47 language maps (`nl`, `en`, `en-GB`).
 * Open Badges 3.0 text fields are plain strings, so the OB3 credential picks one primary language
 * for them (and keeps every language in carecred's extension); ELM language maps accept only
 * two-letter ISO 639-1 keys with arrays of strings, so BCP 47 tags are reduced to their primary
 * subtag (`en-GB` → `en`, an exact `en` wins over a regional variant).
 */
import type {LangMap, UnitContent} from './types.js';

/**
 * Writes a BCP 47 tag in its conventional case (`en-gb` → `en-GB`, `sr-latn` → `sr-Latn`).
 *
 * @returns the normalised tag.
 */
export function normaliseLanguageTag(tag: string): string {
  const [primary = '', ...rest] = tag.split('-');
  const subtags = rest.map(subtag => {
    if(/^[A-Za-z]{2}$/.test(subtag) || /^[0-9]{3}$/.test(subtag)) {
      return subtag.toUpperCase();
    }
    if(/^[A-Za-z]{4}$/.test(subtag)) {
      return subtag[0]!.toUpperCase() + subtag.slice(1).toLowerCase();
    }
    return subtag.toLowerCase();
  });
  return [primary.toLowerCase(), ...subtags].join('-');
}

function primarySubtag(tag: string): string {
  return tag.split('-')[0]!.toLowerCase();
}

/**
 * The languages a unit's content is written in: the tags of its title, in the order given.
 *
 * @returns BCP 47 tags (at least one: the title is required).
 */
export function unitLanguages(content: UnitContent): string[] {
  return Object.keys(content.title);
}

/** Finds the key of `map` that best matches `tag`: exact, then same primary language. */
function matchKey(map: LangMap, tag: string): string | undefined {
  const keys = Object.keys(map);
  const wanted = tag.toLowerCase();
  return keys.find(key => key.toLowerCase() === wanted) ??
    keys.find(key => primarySubtag(key) === primarySubtag(tag));
}

/**
 * Chooses the credential's primary language among the unit's languages: the requested one (or
 * its closest match), else the first language of instruction the title has, else the title's
 * first language.
 *
 * @param options.content - the unit content.
 * @param options.requested - the language asked for (BCP 47), if any.
 * @returns a key of `content.title`.
 */
export function choosePrimaryLanguage({content, requested}: {
  content: UnitContent; requested?: string;
}): string {
  const fromRequest = requested === undefined ? undefined : matchKey(content.title, requested);
  if(fromRequest) {
    return fromRequest;
  }
  for(const language of content.languages ?? []) {
    const key = matchKey(content.title, language);
    if(key) {
      return key;
    }
  }
  return unitLanguages(content)[0]!;
}

/**
 * The text of a language map in one language, falling back to the same primary language and then
 * to the map's first entry (a unit need not translate every field).
 *
 * @returns the text.
 */
export function textIn(map: LangMap, language: string): string {
  const key = matchKey(map, language) ?? Object.keys(map)[0]!;
  return map[key]!;
}

/**
 * The ISO 639-1 code of a BCP 47 tag, if its primary subtag is one.
 *
 * @returns a two-letter code, or undefined for three-letter languages (which have none).
 */
export function toIso6391(tag: string): string | undefined {
  const primary = primarySubtag(tag);
  return /^[a-z]{2}$/.test(primary) ? primary : undefined;
}

/**
 * Converts a BCP 47 language map to an ELM language map (`{"nl": ["..."]}`): two-letter keys,
 * array values. Tags without a two-letter code are left out.
 *
 * @returns the ELM map (possibly empty).
 */
export function toElmLangMap(map: LangMap): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  // Exact two-letter keys first, so `en` wins over `en-GB` whatever the key order.
  const keys = Object.keys(map).sort((a, b) => Number(a.includes('-')) - Number(b.includes('-')));
  for(const key of keys) {
    const code = toIso6391(key);
    if(code && !(code in result)) {
      result[code] = [map[key]!];
    }
  }
  return result;
}
