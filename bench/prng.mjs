// mulberry32: a tiny deterministic PRNG, so every generated corpus is the same on every machine.
// Shared by the .http corpus (http-corpus.ts) and the access-log corpus (access-log-corpus.mjs).

/** A function returning numbers in [0, 1), the same sequence for the same seed. */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Helpers over a PRNG: one element of a list, `len` lower-case hex digits. */
export function randomPicks(rnd) {
  return {
    pick: (xs) => xs[Math.floor(rnd() * xs.length)],
    hex: (len) => {
      let s = '';
      while (s.length < len) s += Math.floor(rnd() * 0x100000000).toString(16).padStart(8, '0');
      return s.slice(0, len);
    },
  };
}
