// Loads the TypeScript render worker when carecred runs from its sources (jest, tsx); the build
// runs the compiled render-worker.js instead. Worker threads do not inherit jest's transform, so
// tsx is registered here unless the thread can already load TypeScript (see the signing worker's
// bootstrap).
let worker;
try {
  worker = await import('./render-worker.ts');
} catch(error) {
  if(error?.code !== 'ERR_UNKNOWN_FILE_EXTENSION') {
    throw error;
  }
  const {register} = await import('tsx/esm/api');
  register();
  worker = await import('./render-worker.ts?tsx');
}

export default worker.default;
