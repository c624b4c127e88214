// PHP's request-variable semantics, as WooCommerce sees them: $_GET / $_POST are built by PHP's
// php_default_treat_data() + php_register_variable_ex() (main/php_variables.c), the same code the
// parse_str() function runs. WooCommerce's OAuth verifier signs whatever lands in those arrays
// (REFERENCE C.6 step 3), so the sandbox has to build them the way PHP does, quirks included:
//   - `+` is a space and %XX a byte (urldecode), in keys and values;
//   - leading spaces of a name are dropped; ` ` and `.` in the base name become `_`;
//   - `a[b][c]=v` nests, `a[]=v` appends, an unclosed `a[b=v` becomes the name `a_b`;
//   - numeric-string keys ("5", "-3", not "05") are integer keys; a later duplicate overwrites the
//     value in place (the key keeps its first position);
//   - at most 1000 variables (max_input_vars) and 64 levels (max_input_nesting_level).
//
// Strings here are PHP strings: byte strings, one JS char per byte (latin1). That keeps strcmp order
// (byte order) and rawurlencode output identical to PHP even for invalid UTF-8; callers convert to
// text with phpBytesToText() when they need characters.

export type PhpValue = string | PhpArray;

const MAX_INPUT_VARS = 1000;
const MAX_INPUT_NESTING_LEVEL = 64;

/** zend_handle_numeric_str: "0", "-12", "123" are integer keys; "012", "-0", "1.5", " 1" are not. */
export function isPhpIntegerKey(key: string): boolean {
  if (!/^(0|-?[1-9][0-9]*)$/.test(key)) return false;
  // Must fit in a 64-bit zend_long, otherwise PHP keeps it as a string key.
  const big = BigInt(key);
  return big <= 9223372036854775807n && big >= -9223372036854775808n;
}

/** An ordered PHP array (hash table): insertion order kept, overwrite keeps position. */
export class PhpArray {
  private readonly map = new Map<string, PhpValue>();
  private nextFree = 0;

  get size(): number {
    return this.map.size;
  }

  has(key: string): boolean {
    return this.map.has(key);
  }

  get(key: string): PhpValue | undefined {
    return this.map.get(key);
  }

  /** $a[$key] = $value (zend_symtable_update). */
  set(key: string, value: PhpValue): void {
    if (isPhpIntegerKey(key)) {
      // PHP < 8.3: the next free index only moves forward from 0 (negative keys don't move it).
      const n = Number(key);
      if (n >= this.nextFree) this.nextFree = n + 1;
    }
    this.map.set(key, value);
  }

  /** $a[] = $value (zend_hash_next_index_insert). */
  append(value: PhpValue): void {
    this.map.set(String(this.nextFree), value);
    this.nextFree += 1;
  }

  delete(key: string): void {
    this.map.delete(key);
  }

  keys(): string[] {
    return [...this.map.keys()];
  }

  entries(): [string, PhpValue][] {
    return [...this.map.entries()];
  }

  /** PHP's empty($a[$key]): missing, "", "0" and an empty array are all "empty". */
  isEmpty(key: string): boolean {
    const value = this.map.get(key);
    if (value === undefined) return true;
    if (typeof value === 'string') return value === '' || value === '0';
    return value.size === 0;
  }

  /** A copy (arrays are values in PHP). */
  clone(): PhpArray {
    const copy = new PhpArray();
    for (const [k, v] of this.map) copy.set(k, typeof v === 'string' ? v : v.clone());
    return copy;
  }

  static fromEntries(entries: [string, PhpValue][]): PhpArray {
    const a = new PhpArray();
    for (const [k, v] of entries) a.set(k, v);
    return a;
  }
}

/**
 * array_merge($a, $b): string keys from $b overwrite in place, integer keys from BOTH arrays are
 * renumbered from 0. (So `?5=x` reaches WooCommerce's OAuth parameters as key "0".)
 */
export function phpArrayMerge(...arrays: PhpArray[]): PhpArray {
  const out = new PhpArray();
  for (const a of arrays) {
    for (const [k, v] of a.entries()) {
      if (isPhpIntegerKey(k)) out.append(v);
      else out.set(k, v);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Byte-string helpers.

/** JS text → PHP byte string (UTF-8 bytes, one char per byte). */
export function textToPhpBytes(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

/** PHP byte string → JS text (UTF-8 decode; invalid sequences become U+FFFD). */
export function phpBytesToText(bytes: string): string {
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

function percentDecode(bytes: string, plusIsSpace: boolean): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const ch = bytes[i]!;
    if (ch === '+' && plusIsSpace) {
      out += ' ';
    } else if (ch === '%' && i + 2 < bytes.length) {
      const hi = hexValue(bytes.charCodeAt(i + 1));
      const lo = hexValue(bytes.charCodeAt(i + 2));
      if (hi >= 0 && lo >= 0) {
        out += String.fromCharCode(hi * 16 + lo);
        i += 2;
      } else {
        out += ch; // PHP leaves a malformed escape as it is
      }
    } else {
      out += ch;
    }
  }
  return out;
}

/** PHP urldecode(): `+` → space, %XX → byte. */
export function phpUrldecode(bytes: string): string {
  return percentDecode(bytes, true);
}

/** PHP rawurldecode(): %XX → byte, `+` stays. */
export function phpRawurldecode(bytes: string): string {
  return percentDecode(bytes, false);
}

/** PHP rawurlencode() (RFC 3986): everything but A-Z a-z 0-9 - _ . ~ as uppercase %XX. */
export function phpRawurlencode(bytes: string): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes.charCodeAt(i) & 0xff;
    const ch = String.fromCharCode(c);
    if (/[A-Za-z0-9\-_.~]/.test(ch)) out += ch;
    else out += '%' + c.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// php_register_variable_ex(): one decoded "name=value" into an array.

function registerVariable(rawName: string, value: string, target: PhpArray): void {
  // A C string: a NUL byte (from %00) ends the name.
  let name = rawName.includes('\0') ? rawName.slice(0, rawName.indexOf('\0')) : rawName;
  name = name.replace(/^ +/, ''); // "ignore leading spaces in the variable name"

  // Base name up to the first '['; ' ' and '.' in it become '_'.
  let base = '';
  let i = 0;
  let isArray = false;
  for (; i < name.length; i++) {
    const ch = name[i]!;
    if (ch === ' ' || ch === '.') base += '_';
    else if (ch === '[') { isArray = true; break; }
    else base += ch;
  }
  if (base.length === 0) return; // empty variable name: dropped

  if (!isArray) {
    target.set(base, value);
    return;
  }

  // Walk the [index] parts. `indexKey === null` means `[]` (append).
  let table = target;
  let indexKey: string | null = base;
  let pos = i; // at '['
  let nestLevel = 0;
  for (;;) {
    nestLevel += 1;
    if (nestLevel > MAX_INPUT_NESTING_LEVEL) return; // PHP drops the variable
    const start = pos + 1;
    let subKey: string | null;
    let close: number;
    if (name[start] === ']') {
      subKey = null;
      close = start;
    } else {
      close = name.indexOf(']', start);
      if (close === -1) {
        // "not an index; un-terminate the var name". On the first level the '[' becomes '_' and the
        // rest joins the name (PHP 8 also turns ' ', '.', '[' in that rest into '_'): `a[b.c=1`
        // is `a_b_c`. Deeper, the name already ended at the previous ']', so the previous index
        // simply gets the value: `a[b][c=1` is $a['b'] = '1'.
        if (nestLevel === 1) {
          target.set(base + '_' + name.slice(start).replace(/[ .[]/g, '_'), value);
        } else if (indexKey === null) {
          table.append(value);
        } else {
          table.set(indexKey, value);
        }
        return;
      }
      subKey = name.slice(start, close);
    }

    // Descend: find or create the array under indexKey.
    let child: PhpValue | undefined = indexKey === null ? undefined : table.get(indexKey);
    if (indexKey === null) {
      const created = new PhpArray();
      table.append(created);
      child = created;
    } else if (child === undefined || typeof child === 'string') {
      const created = new PhpArray();
      table.set(indexKey, created);
      child = created;
    }
    table = child as PhpArray;
    indexKey = subKey;

    // Another '[' right after ']' continues; anything else ends the name (the rest is ignored).
    if (name[close + 1] === '[') {
      pos = close + 1;
      continue;
    }
    if (indexKey === null) table.append(value);
    else table.set(indexKey, value);
    return;
  }
}

/**
 * parse_str() / $_GET / form-urlencoded $_POST: splits on '&', urldecodes names and values,
 * registers each with PHP's bracket rules. Input and output are PHP byte strings.
 */
export function phpParseStr(query: string, into: PhpArray = new PhpArray()): PhpArray {
  let count = 0;
  for (const pair of query.split('&')) {
    if (pair === '') continue; // strtok skips empty tokens
    if (++count > MAX_INPUT_VARS) break; // "Input variables exceeded 1000"
    const eq = pair.indexOf('=');
    const name = phpUrldecode(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? '' : phpUrldecode(pair.slice(eq + 1));
    registerVariable(name, value, into);
  }
  return into;
}

/**
 * The text fields of a multipart/form-data body, as PHP puts them in $_POST (file parts go to
 * $_FILES and are not signed, so they are skipped). Input is the raw body as a byte string.
 */
export function phpParseMultipart(body: string, boundary: string, into: PhpArray = new PhpArray()): PhpArray {
  const delimiter = `--${boundary}`;
  const parts = body.split(delimiter);
  let count = 0;
  for (const part of parts.slice(1)) {
    if (part.startsWith('--')) break; // closing delimiter
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd === -1) continue;
    const headers = part.slice(0, headerEnd);
    let content = part.slice(headerEnd + 4);
    if (content.endsWith('\r\n')) content = content.slice(0, -2);
    const disposition = /content-disposition:\s*form-data;([^\r\n]*)/i.exec(headers);
    if (!disposition) continue;
    const nameMatch = /\bname="([^"]*)"/i.exec(disposition[1]!) ?? /\bname=([^;\s]*)/i.exec(disposition[1]!);
    if (!nameMatch) continue;
    if (/\bfilename=/i.test(disposition[1]!)) continue;
    if (++count > MAX_INPUT_VARS) break;
    registerVariable(nameMatch[1]!, content, into);
  }
  return into;
}

/** PHP array → plain JSON-like value, bytes decoded as UTF-8 (for the REST layer). */
export type PlainValue = string | PlainValue[] | { [key: string]: PlainValue };

export function phpToPlain(value: PhpValue): PlainValue {
  if (typeof value === 'string') return phpBytesToText(value);
  const entries = value.entries();
  // A PHP list (keys 0..n-1 in order) becomes a JS array, anything else an object, as
  // json_encode() would decide.
  const isList = entries.every(([k], i) => k === String(i));
  if (isList && entries.length > 0) return entries.map(([, v]) => phpToPlain(v));
  const out: { [key: string]: PlainValue } = {};
  for (const [k, v] of entries) out[phpBytesToText(k)] = phpToPlain(v);
  return out;
}
