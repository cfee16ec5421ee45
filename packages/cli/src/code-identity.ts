import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * sha256 of the simulator's sources: every .ts and .mjs file (tests aside)
 * under packages/<name>/src. A sweep records it with each point, so that
 * `--resume` never takes a point an older aifab computed: the spec hash covers
 * the inputs, not the code. The sources, not the bundle, so that the bundled
 * CLI and the sources through tsx (both need the sources: see bin/aifab.js)
 * give the same value. Dependencies in node_modules are not covered.
 */
export function codeSha256(): string {
  // This file is packages/cli/src/code-identity.ts, or bundled into packages/cli/dist/main.mjs: two levels below packages/.
  const packages = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
  const files: string[] = []
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name)
      if (e.isDirectory()) walk(p)
      else if (/\.(ts|mjs)$/.test(e.name) && !e.name.endsWith('.test.ts')) files.push(relative(packages, p))
    }
  }
  for (const pkg of readdirSync(packages, { withFileTypes: true })) {
    const src = join(packages, pkg.name, 'src')
    if (pkg.isDirectory() && readdirSync(join(packages, pkg.name)).includes('src')) walk(src)
  }
  const h = createHash('sha256')
  for (const f of files.sort()) h.update(f).update('\0').update(readFileSync(join(packages, f))).update('\0')
  return h.digest('hex')
}
