/**
 * The public pages for people: a learner's share page (`/c/{shareId}`, with the credential
 * itself by content negotiation) and the verifier page (`/verify`), in Dutch and English.
 */
export {CredentialErased, FormatNotAvailable, NotAcceptable, ShareNotFound} from './errors.js';
export {type CredentialFacts, readFacts} from './facts.js';
export {chooseLanguage, formatDate, type Messages, messagesFor, UI_LANGUAGES, type UiLanguage} from './i18n.js';
export {webHandlers} from './routes.js';
export {createWebService, type OpenedShare, type SharePageView, shareIdOf, type WebService} from './service.js';
