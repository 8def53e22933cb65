// Loads the TypeScript signing worker when carecred runs from its sources (jest, tsx); the
// build runs the compiled worker.js instead. Worker threads do not inherit jest's transform, so
// tsx is registered here unless the thread can already load TypeScript. (A failed import stays
// cached, hence the query string on the second attempt.)
let worker;
try {
  worker = await import('./worker.ts');
} catch(error) {
  if(error?.code !== 'ERR_UNKNOWN_FILE_EXTENSION') {
    throw error;
  }
  const {register} = await import('tsx/esm/api');
  register();
  worker = await import('./worker.ts?tsx');
}

export default worker.default;
