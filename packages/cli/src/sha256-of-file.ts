import { closeSync, openSync, readSync } from 'node:fs'
import { createHash } from 'node:crypto'

/** sha256 (hex) of a file, read 1 MiB at a time so a huge trace is not held twice. */
export function sha256OfFile(path: string): string {
  const hash = createHash('sha256')
  const buf = Buffer.alloc(1 << 20)
  const fd = openSync(path, 'r')
  try {
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) hash.update(buf.subarray(0, n))
  } finally {
    closeSync(fd)
  }
  return hash.digest('hex')
}
