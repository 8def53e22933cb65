/** The catalog module: learning units, their versions and lifecycle, and the public catalogue. */
export {applyDefaults, normaliseText} from './content.js';
export {LifecycleConflict, UnitNotIssuable} from './errors.js';
export {FALLBACK_LANGUAGES, languagePreference, type LocalizedText, parseAcceptLanguage,
  pickText} from './language.js';
export {catalogModels, type UnitContent, type UnitState} from './model.js';
export {catalogHandlers} from './routes.js';
export {type CatalogOrgs, createCatalogService, type CatalogService,
  type IssuableUnitVersion} from './service.js';
export {type Unit, unitVersionUrl} from './views.js';
