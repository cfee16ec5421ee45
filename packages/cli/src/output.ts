import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Writes `files` (name -> content) into `dir`, creating it; returns the paths
 * written. Each goes to a temporary name first and is then renamed, so a
 * process killed while writing leaves whole files or none, never a truncated one.
 */
export function writeOutputs(dir: string, files: Record<string, string>): string[] {
  mkdirSync(dir, { recursive: true })
  return Object.entries(files).map(([name, content]) => {
    const p = join(dir, name)
    const tmp = `${p}.${process.pid}.tmp`
    writeFileSync(tmp, content)
    renameSync(tmp, p)
    return p
  })
}
