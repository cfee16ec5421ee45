type NumberArray = Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array

/**
 * A new typed array of the same kind with `length` elements, `a`'s copied to
 * its start and the rest zero: how the fixed-size arrays of the hot path
 * (packet pool, scheduler, fabric-wide stores) grow, off the hot path.
 */
export function grown<T extends NumberArray>(a: T, length: number): T {
  const b = new (a.constructor as new (n: number) => T)(length)
  b.set(a.length <= length ? a : (a.subarray(0, length) as T))
  return b
}
