// Imports flow one way: core <- link <- switch, nic <- topology <- workload <- report <- cli,
// and only through a package's src/index.ts.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const order = ['core', 'link', 'switch', 'nic', 'topology', 'workload', 'report', 'cli']
// switch and nic sit side by side: neither may import the other.
const level: Record<string, number> = { core: 0, link: 1, switch: 2, nic: 2, topology: 3, workload: 4, report: 5, cli: 6 }
const root = new URL('../packages/', import.meta.url).pathname

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  )
}

describe('package layering', () => {
  for (const pkg of order) {
    it(`${pkg} imports only packages below it, by name`, () => {
      for (const file of sources(join(root, pkg, 'src'))) {
        const text = readFileSync(file, 'utf8')
        for (const m of text.matchAll(/from '(@aifab\/[a-z-]+)([^']*)'/g)) {
          const dep = m[1]!.slice('@aifab/'.length)
          expect(m[2], `${file} reaches inside ${m[1]}`).toBe('')
          const ok = level[dep]! < level[pkg]!
          expect(ok, `${file} imports ${m[1]} (${pkg} may not depend on ${dep})`).toBe(true)
        }
        for (const m of text.matchAll(/from '(\.\.\/[^']*)'/g)) {
          expect(m[1]!.includes('/packages/') || /\.\.\/\.\.\//.test(m[1]!), `${file} leaves its package via ${m[1]}`).toBe(false)
        }
      }
    })
  }
  it('every package declares the packages it imports', () => {
    for (const pkg of order) {
      const declared = Object.keys(JSON.parse(readFileSync(join(root, pkg, 'package.json'), 'utf8')).dependencies ?? {})
      for (const file of sources(join(root, pkg, 'src'))) {
        for (const m of readFileSync(file, 'utf8').matchAll(/from '(@aifab\/[a-z-]+)'/g)) {
          if (m[1] !== `@aifab/${pkg}`) expect(declared, `${pkg}/package.json should list ${m[1]} (imported by ${file})`).toContain(m[1])
        }
      }
    }
  })

  it('no Math.random or Date.now in simulation code (runs are seeded)', () => {
    for (const pkg of order) {
      for (const file of sources(join(root, pkg, 'src'))) {
        if (file.endsWith('.test.ts')) continue
        expect(readFileSync(file, 'utf8'), file).not.toMatch(/Math\.random\(|Date\.now\(/)
      }
    }
  })
})
