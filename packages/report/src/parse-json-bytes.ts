/** A value whose text is at most this many bytes is parsed by JSON.parse in one go. */
const WHOLE_BYTES = 64 << 20
/** Elements of a large array are parsed by JSON.parse in batches of about this many bytes. */
const BATCH_BYTES = 8 << 20
/**
 * Values nested deeper than this are not opened, however large (JSON.parse
 * takes them whole): a comparison's report needs four levels (the document,
 * its candidates, a report, its flows), and each level scans its text once
 * more, so a crafted file of thousands of levels would otherwise run for
 * hours and then overflow the stack.
 */
const MAX_SPLIT_DEPTH = 8

const QUOTE = 0x22
const BACKSLASH = 0x5c
const COMMA = 0x2c
const COLON = 0x3a
const OPEN_BRACKET = 0x5b
const CLOSE_BRACKET = 0x5d
const OPEN_BRACE = 0x7b
const CLOSE_BRACE = 0x7d

/**
 * JSON.parse for text held as UTF-8 bytes that may be too large for one
 * string (see LargeText): a value of up to 64 MB is handed to JSON.parse
 * whole; a larger object or array is opened and its members parsed one by
 * one, an array's elements in batches. What aifab writes in pieces it can
 * read back this way; a malformed text throws a SyntaxError.
 */
export function parseJsonBytes(bytes: Uint8Array, limits: Partial<SplitLimits> = {}): unknown {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const start = skipSpace(buf, 0)
  const end = endOfValue(buf, start)
  if (skipSpace(buf, end) !== buf.length) throw new SyntaxError(`unexpected text after the value at byte ${end}`)
  return new Reader(buf, { wholeBytes: limits.wholeBytes ?? WHOLE_BYTES, batchBytes: limits.batchBytes ?? BATCH_BYTES }).value(start, end, 0)
}

/** Where the text is split (smaller in tests, so that a small text takes the paths a large one does). */
export interface SplitLimits {
  /** A value of at most this many bytes goes to JSON.parse whole. */
  wholeBytes: number
  /** A large array's elements go to JSON.parse in batches of about this many bytes. */
  batchBytes: number
}

class Reader {
  constructor(
    private readonly buf: Buffer,
    private readonly limits: SplitLimits,
  ) {}

  /** The value whose text is buf[start, end), `depth` levels in. */
  value(start: number, end: number, depth: number): unknown {
    const buf = this.buf
    if (end - start > this.limits.wholeBytes && depth < MAX_SPLIT_DEPTH) {
      if (buf[start] === OPEN_BRACKET) return this.array(start, end, depth)
      if (buf[start] === OPEN_BRACE) return this.object(start, end, depth)
    }
    // Small enough, or a string of more than 64 MB (JSON.parse says whether it fits).
    return this.parse(start, end, '', '')
  }

  /** JSON.parse of `before` + buf[from, to) + `after`; its error gives the position as a byte of the whole text. */
  private parse(from: number, to: number, before: string, after: string): unknown {
    const text = this.buf.toString('utf8', from, to)
    try {
      return JSON.parse(before + text + after)
    } catch (e) {
      const at = e instanceof SyntaxError ? /at position (\d+)/.exec(e.message) : null
      if (at === null || (from === 0 && before === '')) throw e
      // JSON.parse counts UTF-16 characters of what it was given; the file is bytes, and `before` is not in it.
      const chars = Math.max(0, Number(at[1]) - before.length)
      const byte = from + Buffer.byteLength(text.slice(0, chars))
      throw new SyntaxError((e as SyntaxError).message.replace(/at position \d+( \(line \d+ column \d+\))?/, `at byte ${byte}`))
    }
  }

  private array(start: number, end: number, depth: number): unknown[] {
    const buf = this.buf
    const out: unknown[] = []
    let i = skipSpace(buf, start + 1)
    if (buf[i] === CLOSE_BRACKET) return expectEnd(buf, i, end, out)
    // Elements read but not parsed yet: the text buf[batchStart, batchEnd), or none (-1).
    let batchStart = -1
    let batchEnd = -1
    for (;;) {
      const e = endOfValue(buf, i)
      if (e - i > this.limits.wholeBytes) {
        this.flush(batchStart, batchEnd, out)
        batchStart = -1
        out.push(this.value(i, e, depth + 1))
      } else {
        if (batchStart < 0) batchStart = i
        batchEnd = e
      }
      const next = skipSpace(buf, e)
      const last = buf[next] === CLOSE_BRACKET
      if (!last && buf[next] !== COMMA) throw new SyntaxError(`expected , or ] at byte ${next}`)
      if (batchStart >= 0 && (last || batchEnd - batchStart >= this.limits.batchBytes)) {
        this.flush(batchStart, batchEnd, out)
        batchStart = -1
      }
      if (last) return expectEnd(buf, next, end, out)
      i = skipSpace(buf, next + 1)
    }
  }

  /** Parses the elements whose text (with the commas between them) is buf[from, to), if any, and appends them. */
  private flush(from: number, to: number, out: unknown[]): void {
    if (from < 0) return
    const items = this.parse(from, to, '[', ']') as unknown[]
    for (const x of items) out.push(x)
  }

  private object(start: number, end: number, depth: number): Record<string, unknown> {
    const buf = this.buf
    const out: Record<string, unknown> = {}
    let i = skipSpace(buf, start + 1)
    if (buf[i] === CLOSE_BRACE) return expectEnd(buf, i, end, out)
    for (;;) {
      if (buf[i] !== QUOTE) throw new SyntaxError(`expected a member name at byte ${i}`)
      const keyEnd = endOfValue(buf, i)
      const key = JSON.parse(buf.toString('utf8', i, keyEnd)) as string
      const colon = skipSpace(buf, keyEnd)
      if (buf[colon] !== COLON) throw new SyntaxError(`expected : at byte ${colon}`)
      const v = skipSpace(buf, colon + 1)
      const e = endOfValue(buf, v)
      // As JSON.parse makes it: an own member, even one named __proto__.
      Object.defineProperty(out, key, { value: this.value(v, e, depth + 1), enumerable: true, writable: true, configurable: true })
      const next = skipSpace(buf, e)
      if (buf[next] === CLOSE_BRACE) return expectEnd(buf, next, end, out)
      if (buf[next] !== COMMA) throw new SyntaxError(`expected , or } at byte ${next}`)
      i = skipSpace(buf, next + 1)
    }
  }
}

function expectEnd<T>(buf: Buffer, close: number, end: number, value: T): T {
  if (close + 1 !== end) throw new SyntaxError(`unexpected text at byte ${close + 1}`)
  return value
}

function skipSpace(buf: Buffer, i: number): number {
  while (i < buf.length) {
    const c = buf[i]!
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break
    i++
  }
  return i
}

/** One past the end of the value starting at buf[i] (a string, object, array or bare literal); its inside is checked by JSON.parse later. */
function endOfValue(buf: Buffer, i: number): number {
  const n = buf.length
  if (i >= n) throw new SyntaxError('unexpected end of the text')
  const c = buf[i]!
  if (c === QUOTE) return endOfString(buf, i)
  if (c === OPEN_BRACKET || c === OPEN_BRACE) {
    let depth = 0
    for (let j = i; j < n; j++) {
      const b = buf[j]!
      if (b === QUOTE) j = endOfString(buf, j) - 1
      else if (b === OPEN_BRACKET || b === OPEN_BRACE) depth++
      else if ((b === CLOSE_BRACKET || b === CLOSE_BRACE) && --depth === 0) return j + 1
    }
    throw new SyntaxError('unexpected end of the text: an object or array is not closed')
  }
  let j = i
  while (j < n) {
    const b = buf[j]!
    if (b === COMMA || b === CLOSE_BRACKET || b === CLOSE_BRACE || b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09) break
    j++
  }
  if (j === i) throw new SyntaxError(`unexpected character at byte ${i}`)
  return j
}

function endOfString(buf: Buffer, i: number): number {
  for (let j = i + 1; j < buf.length; j++) {
    const b = buf[j]!
    if (b === BACKSLASH) j++
    else if (b === QUOTE) return j + 1
  }
  throw new SyntaxError('unexpected end of the text: a string is not closed')
}
