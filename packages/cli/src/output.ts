import { closeSync, mkdirSync, openSync, renameSync, writeFileSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import type { FileText } from '@aifab/report'

/**
 * Writes `content` (a string, or large text piece by piece) to `path` through
 * a temporary name renamed over it, so a process killed while writing leaves
 * the whole file or none, never a truncated one (a rename within a folder is
 * atomic).
 */
export function writeFileWhole(path: string, content: FileText): void {
  // One name per file, not per process: a write cut short leaves a .tmp that the next write of the file takes over.
  const tmp = `${path}.tmp`
  if (typeof content === 'string') {
    writeFileSync(tmp, content)
  } else {
    const fd = openSync(tmp, 'w')
    try {
      // A regular file takes each write whole (a full disk throws).
      for (const piece of content) writeSync(fd, piece)
    } finally {
      closeSync(fd)
    }
  }
  renameSync(tmp, path)
}

/** Writes `files` (name -> content) into `dir`, creating it, each whole (writeFileWhole); returns the paths written. */
export function writeOutputs(dir: string, files: Record<string, FileText>): string[] {
  mkdirSync(dir, { recursive: true })
  return Object.entries(files).map(([name, content]) => {
    const p = join(dir, name)
    writeFileWhole(p, content)
    return p
  })
}
