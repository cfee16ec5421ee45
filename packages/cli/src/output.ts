import { accessSync, closeSync, constants, existsSync, lstatSync, mkdirSync, openSync, renameSync, statSync, writeFileSync, writeSync } from 'node:fs'
import { once } from 'node:events'
import { dirname, join, resolve } from 'node:path'
import { InputError } from '@aifab/core'
import type { FileText, LargeText } from '@aifab/report'

/** Why a path cannot be used at all (a loop of links, a name too long), as the system says it; such a path is refused by name. */
class UnusablePath extends Error {}

/** The path's stat, or undefined when it does not exist (also when a folder on the way is a file: the caller finds that one). */
function statOrNone(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      // A link to nothing looks missing to stat, but nothing can be made there.
      if (code === 'ENOENT' && lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink()) throw new UnusablePath('it is a symbolic link to nothing')
      return undefined
    }
    throw new UnusablePath(code ?? String(e))
  }
}

/**
 * Refuses, before anything runs, an output path that could not be written:
 * an empty one, `--out` naming a file, `-o` naming a directory, a path through
 * a file, a broken link, or a place this process may not write. Found after a
 * run, such a path would cost the run and its report.
 */
export function checkOutputPath(path: string, flag: string, kind: 'directory' | 'file'): void {
  const refuse = (why: string): never => {
    throw new InputError(flag, '', `expected ${kind === 'directory' ? 'a directory to write into' : 'a file to write'}, got ${JSON.stringify(path)}${why ? `: ${why}` : ''}`)
  }
  if (path === '') refuse('')
  try {
    const at = statOrNone(path)
    if (at !== undefined) {
      if (kind === 'directory' && !at.isDirectory()) refuse('it is a file')
      if (kind === 'file' && at.isDirectory()) refuse('it is a directory')
    }
    // A file that exists is written in place (a trace, a log; /dev/stdout too): only it needs to be writable.
    if (kind === 'file' && at !== undefined) return writable(path, refuse)
    // Otherwise the nearest folder that exists is where the missing ones (or the file) would be made.
    let dir = at !== undefined ? resolve(path) : dirname(resolve(path))
    for (;;) {
      const d = statOrNone(dir)
      if (d !== undefined) {
        if (!d.isDirectory()) refuse(`${dir} is a file`)
        break
      }
      dir = dirname(dir)
    }
    writable(dir, refuse)
  } catch (e) {
    if (e instanceof UnusablePath) refuse(e.message)
    throw e
  }
}

function writable(path: string, refuse: (why: string) => never): void {
  try {
    accessSync(path, constants.W_OK)
  } catch {
    refuse(`${path} is not writable`)
  }
}

/**
 * mkdir -p, one folder at a time: Node's recursive mkdirSync spins forever
 * where a folder cannot be made in a place that exists (under /proc).
 */
export function makeDirs(dir: string): void {
  const missing: string[] = []
  for (let d = resolve(dir); !existsSync(d); d = dirname(d)) missing.push(d)
  for (const d of missing.reverse()) mkdirSync(d)
}

/**
 * Writes `content` (a string, or large text piece by piece) to `path` through
 * a temporary name renamed over it, so a process killed while writing leaves
 * the whole file or none, never a truncated one (a rename within a folder is
 * atomic).
 */
export function writeFileWhole(path: string, content: FileText): void {
  // One name per file, not per process: a write cut short leaves a .tmp that the next write of the file takes over.
  const tmp = `${path}.tmp`
  if (typeof content === 'string') writeFileSync(tmp, content)
  else writePiecesSync(tmp, content)
  renameSync(tmp, path)
}

/** Writes text to `path` (created or truncated, in place) piece by piece, so it never has to be one string. */
export function writePiecesSync(path: string, text: LargeText): void {
  const fd = openSync(path, 'w')
  try {
    for (const piece of text) {
      const bytes = Buffer.from(piece)
      // write(2) may take less than all (a pipe, a nearly full disk); a full one throws.
      for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off)
    }
  } finally {
    closeSync(fd)
  }
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
  makeDirs(dir)
  return Object.entries(files).map(([name, content]) => {
    const p = join(dir, name)
    writeFileWhole(p, content)
    return p
  })
}
