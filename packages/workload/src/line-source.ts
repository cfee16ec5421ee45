import { closeSync, openSync, readSync } from 'node:fs'
import { StringDecoder } from 'node:string_decoder'

/** Lines of a text, one at a time: a file read in chunks, or a string. */
export interface LineSource {
  /** The next line without its line break, or null at the end. */
  next(): string | null
  /** 1-based number of the line `next` returned last. */
  readonly lineNo: number
}

const CHUNK_BYTES = 1 << 20

/**
 * A file's lines, read 1 MiB at a time, so an importer holds one chunk and
 * what it builds, never the whole text (a 1M-flow file is 30 MB of text and
 * would be a million strings if split at once). Throws the fs error of a file
 * that cannot be opened; closes the file at the end.
 */
export class FileLines implements LineSource {
  lineNo = 0
  private fd: number
  private readonly buf = Buffer.alloc(CHUNK_BYTES)
  private readonly decoder = new StringDecoder('utf8')
  private lines: string[] = []
  private at = 0
  private rest = ''
  private done = false

  constructor(path: string) {
    this.fd = openSync(path, 'r')
  }

  /** Closes the file early (reading to the end closes it too). */
  close(): void {
    if (this.fd >= 0) closeSync(this.fd)
    this.fd = -1
    this.done = true
    this.lines = []
    this.at = 0
  }

  next(): string | null {
    while (this.at === this.lines.length) {
      if (this.done) return null
      const n = readSync(this.fd, this.buf, 0, CHUNK_BYTES, null)
      let text: string
      if (n === 0) {
        this.done = true
        closeSync(this.fd)
        this.fd = -1
        text = this.rest + this.decoder.end()
        this.lines = text === '' ? [] : [text]
      } else {
        const chunk = this.decoder.write(this.buf.subarray(0, n))
        // A chunk without a line break only lengthens the line in progress: splitting all of it
        // again each time would cost the square of a long line's length.
        if (!chunk.includes('\n')) {
          this.rest += chunk
          continue
        }
        text = this.rest + chunk
        this.lines = text.split('\n')
        this.rest = this.lines.pop()!
      }
      this.at = 0
    }
    this.lineNo++
    const line = this.lines[this.at++]!
    return line.endsWith('\r') ? line.slice(0, -1) : line
  }
}

/** The lines of a string in memory (tests, small inputs). */
export function textLines(text: string): LineSource {
  const lines = text.split(/\r?\n/)
  // A final line break does not start another line.
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop()
  let i = 0
  return {
    get lineNo() {
      return i
    },
    next: () => (i < lines.length ? lines[i++]! : null),
  }
}
