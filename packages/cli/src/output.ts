import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Writes `content` to `path` through a temporary name renamed over it, so a
 * process killed while writing leaves the whole file or none, never a
 * truncated one (a rename within a folder is atomic).
 */
export function writeFileWhole(path: string, content: string): void {
  // One name per file, not per process: a write cut short leaves a .tmp that the next write of the file takes over.
  const tmp = `${path}.tmp`
  writeFileSync(tmp, content)
  renameSync(tmp, path)
}

/** Writes `files` (name -> content) into `dir`, creating it, each whole (writeFileWhole); returns the paths written. */
export function writeOutputs(dir: string, files: Record<string, string>): string[] {
  mkdirSync(dir, { recursive: true })
  return Object.entries(files).map(([name, content]) => {
    const p = join(dir, name)
    writeFileWhole(p, content)
    return p
  })
}
