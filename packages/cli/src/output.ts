import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** Writes `files` (name -> content) into `dir`, creating it; returns the paths written. */
export function writeOutputs(dir: string, files: Record<string, string>): string[] {
  mkdirSync(dir, { recursive: true })
  return Object.entries(files).map(([name, content]) => {
    const p = join(dir, name)
    writeFileSync(p, content)
    return p
  })
}
