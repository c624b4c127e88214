// The JSONPath subset request variables need (`{{login.response.body.$.user.id}}`, SPEC §3.4), in the
// spirit of jsonpath-plus, which REST Client uses: `$`, `.name`, `['name']`, `[0]`, `[-1]`, `[*]`,
// `.*`, `..name`, `[a,b]`, `[start:end:step]`, `.length` of arrays and filters such as
// `[?(@.price < 10 && @.status == 'publish')]`. A path without `$` is relative to the root, as in
// jsonpath-plus (`body.a.b`). Script expressions `[(...)]` are not evaluated.

export class JsonPathError extends Error {}

type Selector =
  | { kind: 'name'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'wildcard' }
  | { kind: 'slice'; start?: number; end?: number; step?: number }
  | { kind: 'filter'; expr: Expr };

interface Step {
  descendant: boolean;
  selectors: Selector[];
}

type Expr =
  | { t: 'lit'; v: unknown }
  | { t: 'path'; root: '@' | '$'; steps: Step[] }
  | { t: 'not'; e: Expr }
  | { t: 'bin'; op: string; a: Expr; b: Expr };

/** All matches, in document order. Throws JsonPathError on a path it cannot read. */
export function jsonPathQuery(root: unknown, path: string): unknown[] {
  const steps = parsePath(path.trim());
  return evaluate(steps, root, root);
}

function parsePath(path: string): Step[] {
  const p = new PathParser(path, 0);
  let implicit = true;
  if (path[0] === '$') {
    p.i = 1;
    implicit = false;
  }
  const steps = p.steps(implicit, () => false);
  if (p.i < path.length) throw new JsonPathError(`Unexpected "${path.slice(p.i, p.i + 10)}" in the JSONPath.`);
  return steps;
}

class PathParser {
  constructor(
    readonly s: string,
    public i: number,
  ) {}

  steps(implicitFirst: boolean, stop: (c: string) => boolean): Step[] {
    const steps: Step[] = [];
    let first = implicitFirst;
    while (this.i < this.s.length && !stop(this.s[this.i])) {
      const c = this.s[this.i];
      if (this.s.startsWith('..', this.i)) {
        this.i += 2;
        if (this.s[this.i] === '[') steps.push({ descendant: true, selectors: this.bracket() });
        else steps.push({ descendant: true, selectors: [this.dotName()] });
      } else if (c === '.') {
        this.i++;
        steps.push({ descendant: false, selectors: [this.dotName()] });
      } else if (c === '[') {
        steps.push({ descendant: false, selectors: this.bracket() });
      } else if (first) {
        steps.push({ descendant: false, selectors: [this.dotName()] });
      } else {
        break;
      }
      first = false;
    }
    return steps;
  }

  dotName(): Selector {
    const start = this.i;
    while (this.i < this.s.length && !'.[ )=!<>&|'.includes(this.s[this.i])) this.i++;
    const name = this.s.slice(start, this.i);
    if (name === '') throw new JsonPathError('A JSONPath step is missing its name.');
    return name === '*' ? { kind: 'wildcard' } : { kind: 'name', name };
  }

  bracket(): Selector[] {
    this.i++; // [
    this.ws();
    if (this.s[this.i] === '?') {
      this.i++;
      this.ws();
      if (this.s[this.i] !== '(') throw new JsonPathError('A JSONPath filter is written [?(...)].');
      this.i++;
      const expr = new ExprParser(this).or();
      this.ws();
      if (this.s[this.i] !== ')') throw new JsonPathError('A JSONPath filter is missing its closing ).');
      this.i++;
      this.expect(']');
      return [{ kind: 'filter', expr }];
    }
    if (this.s[this.i] === '(') throw new JsonPathError('JSONPath script expressions [(...)] are not supported.');
    const selectors: Selector[] = [];
    for (;;) {
      this.ws();
      selectors.push(this.bracketItem());
      this.ws();
      if (this.s[this.i] === ',') {
        this.i++;
        continue;
      }
      this.expect(']');
      return selectors;
    }
  }

  bracketItem(): Selector {
    const c = this.s[this.i];
    if (c === '*') {
      this.i++;
      return { kind: 'wildcard' };
    }
    if (c === "'" || c === '"') return { kind: 'name', name: this.quoted() };
    const start = this.i;
    while (this.i < this.s.length && !',]'.includes(this.s[this.i])) this.i++;
    const raw = this.s.slice(start, this.i).trim();
    if (raw.includes(':')) {
      const [a, b, st] = raw.split(':').map((x) => x.trim());
      const num = (x: string | undefined) => (x === undefined || x === '' ? undefined : toInt(x));
      const sel: Selector = { kind: 'slice' };
      const sa = num(a);
      const sb = num(b);
      const ss = num(st);
      if (sa !== undefined) sel.start = sa;
      if (sb !== undefined) sel.end = sb;
      if (ss !== undefined) sel.step = ss;
      return sel;
    }
    if (/^-?\d+$/.test(raw)) return { kind: 'index', index: Number(raw) };
    if (raw === '') throw new JsonPathError('Empty [] in the JSONPath.');
    return { kind: 'name', name: raw };
  }

  quoted(): string {
    const q = this.s[this.i++];
    let out = '';
    while (this.i < this.s.length && this.s[this.i] !== q) {
      if (this.s[this.i] === '\\' && this.i + 1 < this.s.length) this.i++;
      out += this.s[this.i++];
    }
    if (this.s[this.i] !== q) throw new JsonPathError('A quoted name in the JSONPath is not closed.');
    this.i++;
    return out;
  }

  ws(): void {
    while (this.s[this.i] === ' ' || this.s[this.i] === '\t') this.i++;
  }

  expect(c: string): void {
    this.ws();
    if (this.s[this.i] !== c) throw new JsonPathError(`Expected "${c}" in the JSONPath.`);
    this.i++;
  }
}

function toInt(x: string): number {
  if (!/^-?\d+$/.test(x)) throw new JsonPathError(`"${x}" is not an integer.`);
  return Number(x);
}

/** Filter expressions: || && ! comparisons, @-paths, $-paths, literals, parentheses. */
class ExprParser {
  constructor(readonly p: PathParser) {}

  or(): Expr {
    let a = this.and();
    while (this.peek('||')) {
      this.p.i += 2;
      a = { t: 'bin', op: '||', a, b: this.and() };
    }
    return a;
  }

  and(): Expr {
    let a = this.cmp();
    while (this.peek('&&')) {
      this.p.i += 2;
      a = { t: 'bin', op: '&&', a, b: this.cmp() };
    }
    return a;
  }

  cmp(): Expr {
    const a = this.unary();
    for (const op of ['===', '!==', '==', '!=', '<=', '>=', '<', '>']) {
      if (this.peek(op)) {
        this.p.i += op.length;
        return { t: 'bin', op, a, b: this.unary() };
      }
    }
    return a;
  }

  unary(): Expr {
    this.p.ws();
    const s = this.p.s;
    const c = s[this.p.i];
    if (c === '!') {
      this.p.i++;
      return { t: 'not', e: this.unary() };
    }
    if (c === '(') {
      this.p.i++;
      const e = this.or();
      this.p.expect(')');
      return e;
    }
    if (c === '@' || c === '$') {
      this.p.i++;
      const steps = this.p.steps(false, (ch) => ' )=!<>&|,'.includes(ch));
      return { t: 'path', root: c, steps };
    }
    if (c === "'" || c === '"') return { t: 'lit', v: this.p.quoted() };
    const m = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(s.slice(this.p.i, this.p.i + 64));
    if (!m) throw new JsonPathError(`Cannot read the filter at "${s.slice(this.p.i, this.p.i + 10)}".`);
    this.p.i += m[0].length;
    const v = m[0] === 'true' ? true : m[0] === 'false' ? false : m[0] === 'null' ? null : Number(m[0]);
    return { t: 'lit', v };
  }

  peek(op: string): boolean {
    this.p.ws();
    return this.p.s.startsWith(op, this.p.i);
  }
}

function evaluate(steps: Step[], start: unknown, root: unknown): unknown[] {
  let current: unknown[] = [start];
  for (const step of steps) {
    const next: unknown[] = [];
    const bases = step.descendant ? current.flatMap(descendantsOrSelf) : current;
    for (const node of bases) for (const sel of step.selectors) select(node, sel, root, next);
    current = next;
  }
  return current;
}

function descendantsOrSelf(node: unknown): unknown[] {
  const out: unknown[] = [];
  const stack: unknown[] = [node];
  while (stack.length > 0) {
    const n = stack.pop();
    out.push(n);
    if (n !== null && typeof n === 'object') {
      const children = Array.isArray(n) ? n : Object.values(n as Record<string, unknown>);
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
    }
  }
  return out;
}

function select(node: unknown, sel: Selector, root: unknown, out: unknown[]): void {
  if (node === null || typeof node !== 'object') return;
  const arr = Array.isArray(node) ? (node as unknown[]) : undefined;
  const obj = node as Record<string, unknown>;
  switch (sel.kind) {
    case 'name':
      if (arr && sel.name === 'length') out.push(arr.length);
      else if (Object.prototype.hasOwnProperty.call(obj, sel.name)) out.push(obj[sel.name]);
      return;
    case 'index': {
      if (arr) {
        const i = sel.index < 0 ? arr.length + sel.index : sel.index;
        if (i >= 0 && i < arr.length) out.push(arr[i]);
      } else if (Object.prototype.hasOwnProperty.call(obj, String(sel.index))) out.push(obj[String(sel.index)]);
      return;
    }
    case 'wildcard':
      out.push(...(arr ?? Object.values(obj)));
      return;
    case 'slice': {
      if (!arr) return;
      const len = arr.length;
      const step = sel.step ?? 1;
      if (step <= 0) return;
      const norm = (v: number | undefined, d: number) => (v === undefined ? d : v < 0 ? Math.max(0, len + v) : Math.min(len, v));
      for (let i = norm(sel.start, 0); i < norm(sel.end, len); i += step) out.push(arr[i]);
      return;
    }
    case 'filter':
      for (const item of arr ?? Object.values(obj)) if (truthy(evalExpr(sel.expr, item, root))) out.push(item);
      return;
  }
}

const MISSING = Symbol('missing');

function evalExpr(e: Expr, current: unknown, root: unknown): unknown {
  switch (e.t) {
    case 'lit':
      return e.v;
    case 'path': {
      const r = evaluate(e.steps, e.root === '@' ? current : root, root);
      return r.length > 0 ? r[0] : MISSING;
    }
    case 'not':
      return !truthy(evalExpr(e.e, current, root));
    case 'bin': {
      if (e.op === '&&') return truthy(evalExpr(e.a, current, root)) && truthy(evalExpr(e.b, current, root));
      if (e.op === '||') return truthy(evalExpr(e.a, current, root)) || truthy(evalExpr(e.b, current, root));
      const a = evalExpr(e.a, current, root);
      const b = evalExpr(e.b, current, root);
      if (a === MISSING || b === MISSING) return e.op === '!=' || e.op === '!==' ? a !== b : false;
      switch (e.op) {
        case '===': return a === b;
        case '!==': return a !== b;
        case '==': return looseEquals(a, b);
        case '!=': return !looseEquals(a, b);
        case '<': return (a as number) < (b as number);
        case '<=': return (a as number) <= (b as number);
        case '>': return (a as number) > (b as number);
        case '>=': return (a as number) >= (b as number);
      }
      return false;
    }
  }
}

function looseEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a === 'object' || typeof b === 'object') return false;
  return String(a) === String(b) || (typeof a === 'number' || typeof b === 'number' ? Number(a) === Number(b) : false);
}

function truthy(v: unknown): boolean {
  return v !== MISSING && Boolean(v);
}
