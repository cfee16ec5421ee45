#!/usr/bin/env node
// Runs the bundled CLI (dist/main.mjs, built by `npm ci` / `npm run build`)
// when it is newer than every source file (0.15 s to start against 0.5 s),
// else the TypeScript sources
// through tsx (Node 20 cannot strip types): an edited source is never
// shadowed by a stale bundle.
import { existsSync, readdirSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const cli = join(dirname(fileURLToPath(import.meta.url)), '..')
const bundle = join(cli, 'dist', 'main.mjs')
// Built with it: the bundled CLI starts its worker threads (sweep, compare, --seeds) from here.
const worker = join(cli, 'dist', 'worker-thread.mjs')

/** Newest modification time of the .ts files under the packages' src folders (tests beside them are not in the bundle), and of the CLI's package.json. */
function newestSourceMs() {
  let newest = 0
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name)
      if (e.isDirectory()) walk(p)
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(p).mtimeMs)
    }
  }
  const packages = join(cli, '..')
  for (const pkg of readdirSync(packages)) {
    const src = join(packages, pkg, 'src')
    if (existsSync(src)) walk(src)
  }
  // The bundle carries the version from here (aifab --version).
  return Math.max(newest, statSync(join(cli, 'package.json')).mtimeMs)
}

let main
// AIFAB_FROM_SOURCE=1 runs the sources even when the bundle is fresh (for the tests of this path).
if (process.env.AIFAB_FROM_SOURCE === undefined && existsSync(bundle) && existsSync(worker) && statSync(bundle).mtimeMs >= newestSourceMs()) {
  ;({ main } = await import(bundle))
} else {
  const { register } = await import('tsx/esm/api')
  const { register: registerCjs } = await import('tsx/cjs/api')
  register()
  // A user's .ts module outside an ES-module package loads as CommonJS: tsx's CJS hook compiles it.
  registerCjs()
  globalThis.__aifabTsxRegistered = true
  ;({ main } = await import('../src/main.ts'))
}
process.exitCode = await main(process.argv.slice(2))
