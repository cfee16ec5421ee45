// The CLI's worker thread when the CLI runs from its TypeScript sources: a worker
// thread does not inherit the tsx hooks the bin registered (Node 20), so it
// registers its own, then loads the worker.
const { register } = await import('tsx/esm/api')
const { register: registerCjs } = await import('tsx/cjs/api')
register()
// A user's .ts congestion-control module outside an ES-module package loads as CommonJS.
registerCjs()
globalThis.__aifabTsxRegistered = true
await import('./worker-thread.ts')
