// IP addresses and CIDR ranges (IPv4 and IPv6) for the monitoring rules' allow-lists: "the office is
// 203.0.113.0/24", "the uptime checker is 2001:db8:42::/48". An address is compared as 16 bytes, an
// IPv4 address as its IPv4-mapped IPv6 form (::ffff:a.b.c.d), so `10.0.0.0/8` also matches a client
// logged as `::ffff:10.1.2.3` and an IPv4 range never matches a native IPv6 client.
//
// Written from RFC 4291 section 2.2 (text forms of IPv6 addresses: eight groups of up to four hex
// digits, one `::` for a run of zero groups, a dotted IPv4 address as the last 32 bits) and RFC 4632
// (prefix notation). A zone (`fe80::1%eth0`) and brackets (`[2001:db8::1]`) are dropped.
//
// Pure: no `vscode`, no I/O.

export interface AddressRange {
  /** The range as written in the rules (for messages). */
  readonly text: string;
  /** The first address of the range, 16 bytes. */
  readonly bytes: Uint8Array;
  /** Prefix length in bits of the 16-byte form (an IPv4 /24 is /120 here). */
  readonly bits: number;
}

/** 16 bytes for an IPv4 or IPv6 address in text, or undefined when it is neither. */
export function parseAddress(text: string): Uint8Array | undefined {
  let a = text.trim();
  if (a.startsWith('[') && a.endsWith(']')) a = a.slice(1, -1);
  const zone = a.indexOf('%');
  if (zone >= 0) a = a.slice(0, zone);
  if (a.indexOf(':') < 0) {
    const v4 = parseIPv4(a);
    if (!v4) return undefined;
    const out = new Uint8Array(16);
    out[10] = 0xff;
    out[11] = 0xff;
    out.set(v4, 12);
    return out;
  }
  return parseIPv6(a);
}

function parseIPv4(a: string): number[] | undefined {
  const parts = a.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (p.length === 0 || p.length > 3) return undefined;
    let v = 0;
    for (let i = 0; i < p.length; i++) {
      const c = p.charCodeAt(i) - 48;
      if (c < 0 || c > 9) return undefined;
      v = v * 10 + c;
    }
    if (v > 255) return undefined;
    out.push(v);
  }
  return out;
}

function parseIPv6(a: string): Uint8Array | undefined {
  const double = a.indexOf('::');
  if (double >= 0 && a.indexOf('::', double + 1) >= 0) return undefined; // at most one "::"
  const groupsOf = (s: string): number[] | undefined => {
    if (s === '') return [];
    const out: number[] = [];
    const parts = s.split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i];
      if (i === parts.length - 1 && p.indexOf('.') >= 0) {
        const v4 = parseIPv4(p);
        if (!v4) return undefined;
        out.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
        continue;
      }
      if (p.length === 0 || p.length > 4 || !/^[0-9a-fA-F]+$/.test(p)) return undefined;
      out.push(parseInt(p, 16));
    }
    return out;
  };
  let groups: number[];
  if (double >= 0) {
    const head = groupsOf(a.slice(0, double));
    const tail = groupsOf(a.slice(double + 2));
    if (!head || !tail || head.length + tail.length > 7) return undefined;
    // A dotted IPv4 part may only end the address.
    if (a.slice(0, double).indexOf('.') >= 0) return undefined;
    groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    const all = groupsOf(a);
    if (!all || all.length !== 8) return undefined;
    groups = all;
  }
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    out[2 * i] = groups[i] >> 8;
    out[2 * i + 1] = groups[i] & 0xff;
  }
  return out;
}

/**
 * `203.0.113.0/24`, `2001:db8::/32`, or a single address (a /32 or /128). Throws a RangeError whose
 * message is a sentence when the text is not a range; host bits set below the prefix are an error
 * too (`10.1.2.3/8` is most likely a typo for a single address or for `10.0.0.0/8`).
 */
export function parseAddressRange(text: string): AddressRange {
  const slash = text.indexOf('/');
  const addrText = slash < 0 ? text : text.slice(0, slash);
  const bytes = parseAddress(addrText);
  if (!bytes) throw new RangeError(`"${addrText}" is not an IPv4 or IPv6 address.`);
  const v4 = addrText.indexOf(':') < 0;
  const max = v4 ? 32 : 128;
  let bits = max;
  if (slash >= 0) {
    const p = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(p) || Number(p) > max) throw new RangeError(`"/${p}" is not a prefix length for an ${v4 ? 'IPv4' : 'IPv6'} address (0 to ${max}).`);
    bits = Number(p);
  }
  const bits16 = v4 ? 96 + bits : bits;
  for (let i = bits16; i < 128; i++) {
    if (bytes[i >> 3] & (0x80 >> (i & 7))) {
      throw new RangeError(`"${text}" has bits set after its /${bits} prefix; write the range's first address (such as ${formatRangeStart(bytes, bits16, v4)}/${bits}).`);
    }
  }
  return { text, bytes, bits: bits16 };
}

function formatRangeStart(bytes: Uint8Array, bits: number, v4: boolean): string {
  const b = bytes.slice();
  for (let i = bits; i < 128; i++) b[i >> 3] &= ~(0x80 >> (i & 7));
  if (v4) return `${b[12]}.${b[13]}.${b[14]}.${b[15]}`;
  const groups: string[] = [];
  for (let i = 0; i < 8; i++) groups.push(((b[2 * i] << 8) | b[2 * i + 1]).toString(16));
  // The longest run of zero groups (two or more) becomes "::".
  let bestStart = -1, bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  if (bestStart < 0) return groups.join(':');
  return `${groups.slice(0, bestStart).join(':')}::${groups.slice(bestStart + bestLen).join(':')}`;
}

/** Whether the address (16 bytes) lies in the range. */
export function inRange(address: Uint8Array, range: AddressRange): boolean {
  const full = range.bits >> 3;
  for (let i = 0; i < full; i++) if (address[i] !== range.bytes[i]) return false;
  const rest = range.bits & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (address[full] & mask) === (range.bytes[full] & mask);
}

/** Whether a logged client address falls in any of the ranges (a host name never does). */
export function addressInRanges(address: string, ranges: readonly AddressRange[]): boolean {
  if (ranges.length === 0) return false;
  const b = parseAddress(address);
  if (!b) return false;
  for (const r of ranges) if (inRange(b, r)) return true;
  return false;
}
