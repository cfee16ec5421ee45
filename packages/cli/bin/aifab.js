#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx (Node 20 cannot strip types).
import { register } from 'tsx/esm/api'
import { register as registerCjs } from 'tsx/cjs/api'

register()
// A user's .ts module outside an ES-module package loads as CommonJS: tsx's CJS hook compiles it.
registerCjs()
const { main } = await import('../src/main.ts')
process.exitCode = await main(process.argv.slice(2))
