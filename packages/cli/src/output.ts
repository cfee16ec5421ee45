import { closeSync, mkdirSync, openSync, renameSync, writeFileSync, writeSync } from 'node:fs'
import { once } from 'node:events'
import { join } from 'node:path'
import type { FileText, LargeText } from '@aifab/report'

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
      for (const piece of content) {
        const bytes = Buffer.from(piece)
        // write(2) may take less than all (a nearly full disk); a full one throws.
        for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off)
      }
    } finally {
      closeSync(fd)
    }
  }
  renameSync(tmp, path)
}

/**
 * Writes large text to a stream (stdout) piece by piece, waiting whenever the
 * stream is full: a pipe to a slow reader would otherwise buffer the whole
 * text in memory, which is what writing it in pieces is for.
 */
export async function writePieces(out: NodeJS.WritableStream, text: LargeText): Promise<void> {
  for (const piece of text) if (!out.write(piece)) await once(out, 'drain')
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
