/**
 * Renders the public pages from the Eta templates beside this file (copied into dist/ with the
 * build). Every value is HTML-escaped unless a template says otherwise (only the server-made QR
 * code SVG is written raw). Templates are compiled once and cached.
 */
import {fileURLToPath} from 'node:url';

import {Eta} from 'eta';

import {messagesFor, UI_LANGUAGES,type UiLanguage} from './i18n.js';

const TEMPLATES_DIR = fileURLToPath(new URL('./templates', import.meta.url));

const eta = new Eta({views: TEMPLATES_DIR, cache: true, autoEscape: true, autoTrim: [false, 'nl']});

/** The pages there are. */
export type PageName = 'share' | 'verify' | 'error';

/** What every page needs besides its own data. */
export interface PageFrame {
  language: UiLanguage;
  /** Relative path from the page to the app root (`''` at `/verify`, `'../'` at `/c/{id}`). */
  root: string;
  /** The document title. */
  title: string;
  /** Query string (without `lang`) the language links keep, e.g. `share=abc`. */
  keepQuery?: Record<string, string>;
}

/** A link to the page in one language. */
export interface LanguageLink {
  code: UiLanguage;
  name: string;
  href: string;
  current: boolean;
}

function languageLinks({language, keepQuery = {}}: PageFrame): LanguageLink[] {
  const t = messagesFor(language);
  return UI_LANGUAGES.map(code => ({
    code, name: t.languageNames[code], current: code === language,
    href: `?${new URLSearchParams({...keepQuery, lang: code}).toString()}`
  }));
}

/**
 * Renders a page.
 *
 * @param name - the template.
 * @param frame - language, root and title.
 * @param data - the page's own view model.
 * @returns the HTML document.
 */
export function renderPage(name: PageName, frame: PageFrame, data: Record<string, unknown>): string {
  return eta.render(`./${name}`, {...data, ...frame, t: messagesFor(frame.language),
    languages: languageLinks(frame)});
}
