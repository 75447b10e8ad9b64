// solve finds the counter of the voting function's proof-of-work challenge:
// the string `${challenge}.${counter}` whose SHA-256 starts with
// `difficulty` zero bits (functions/vote/proof.go). It hashes synchronously
// (crypto.subtle.digest is asynchronous, far too slow one hash at a time)
// and yields to the page between chunks, so the page stays responsive.

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

const W = new Int32Array(64);

// compress runs SHA-256's compression function over the 64-byte block at
// off in buf, updating the state st (8 words) in place.
function compress(st, buf, off) {
  for (let i = 0; i < 16; i++) {
    const p = off + i * 4;
    W[i] = (buf[p] << 24) | (buf[p + 1] << 16) | (buf[p + 2] << 8) | buf[p + 3];
  }
  for (let i = 16; i < 64; i++) {
    const x = W[i - 15];
    const y = W[i - 2];
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    W[i] = (W[i - 16] + s0 + W[i - 7] + s1) | 0;
  }
  let a = st[0], b = st[1], c = st[2], d = st[3], e = st[4], f = st[5], g = st[6], h = st[7];
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + S1 + ((e & f) ^ (~e & g)) + K[i] + W[i]) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
  }
  st[0] = (st[0] + a) | 0; st[1] = (st[1] + b) | 0; st[2] = (st[2] + c) | 0; st[3] = (st[3] + d) | 0;
  st[4] = (st[4] + e) | 0; st[5] = (st[5] + f) | 0; st[6] = (st[6] + g) | 0; st[7] = (st[7] + h) | 0;
}

const IV = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

// A Hasher hashes prefix + counter for many counters: the prefix's whole
// blocks are compressed once, each attempt only the last one or two.
function hasher(prefix) {
  const bytes = new TextEncoder().encode(prefix);
  const whole = bytes.length - (bytes.length % 64);
  const mid = new Int32Array(IV);
  for (let off = 0; off < whole; off += 64) compress(mid, bytes, off);
  const rest = bytes.subarray(whole);
  const tail = new Uint8Array(128);
  const st = new Int32Array(8);
  // first returns the first 32 bits of SHA-256(prefix + n), unsigned.
  return function first(n) {
    const digits = String(n);
    tail.fill(0);
    tail.set(rest);
    let p = rest.length;
    for (let i = 0; i < digits.length; i++) tail[p++] = digits.charCodeAt(i);
    tail[p++] = 0x80;
    const blocks = p + 8 <= 64 ? 1 : 2;
    const bitLen = (bytes.length + digits.length) * 8;
    const end = blocks * 64;
    tail[end - 4] = bitLen >>> 24;
    tail[end - 3] = bitLen >>> 16;
    tail[end - 2] = bitLen >>> 8;
    tail[end - 1] = bitLen;
    st.set(mid);
    compress(st, tail, 0);
    if (blocks === 2) compress(st, tail, 64);
    return st[0] >>> 0;
  };
}

const CHUNK = 20000;

export async function solve(challenge, difficulty) {
  const bits = Math.min(Math.max(difficulty | 0, 0), 31);
  const limit = 2 ** (32 - bits);
  const prefix = `${challenge}.`;
  const first = hasher(prefix);
  for (let n = 0; ; ) {
    for (const end = n + CHUNK; n < end; n++) {
      if (first(n) < limit) return prefix + n;
    }
    await new Promise((ok) => setTimeout(ok, 0));
  }
}
