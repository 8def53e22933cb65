/** Bulk imports of achievements: streamed uploads, issued in the background, resumable. */
export {type ImportJobRecord, importModels, type ImportModels} from './model.js';
export {importHandlers} from './routes.js';
export {rowOperationId} from './runner.js';
export {createImportService, type ImportResource, type ImportService, toImportResource} from './service.js';
