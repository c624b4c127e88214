// Access-log lines for tests: combined format, written in +0000 (or another zone), at an exact time.
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number) => String(n).padStart(2, '0');

/** `[27/Nov/2026:10:00:00 +0000]`'s inside for UTC ms t, written in the zone `offsetMinutes` east of UTC. */
export function clfTime(t: number, offsetMinutes = 0): string {
  const d = new Date(t + offsetMinutes * 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const a = Math.abs(offsetMinutes);
  return `${p2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} ${sign}${p2(Math.floor(a / 60))}${p2(a % 60)}`;
}

/** A combined-format line: client, UTC ms, request-target, status (GET, 100 bytes, no referer). */
export function combinedLine(ip: string, t: number, target: string, status: number, ua = 'test-agent', user = '-'): string {
  return `${ip} - ${user} [${clfTime(t)}] "GET ${target} HTTP/1.1" ${status} 100 "-" "${ua}"`;
}

/** `ck_` + 40 hex, told apart by their last two characters. */
export function testKey(i: number): string {
  return `ck_${'0123456789abcdef0123456789abcdef012345'}${i.toString(16).padStart(2, '0')}`;
}

export const T0 = Date.UTC(2026, 10, 27, 10, 0, 0);
