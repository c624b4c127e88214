// Enough XML and XPath for request variables on XML responses (SPEC §3.4, C31), in place of
// xmldom + xpath: a tolerant XML reader, location paths with `/` and `//`, name tests, `*`, `@attr`,
// `@*`, `text()`, `node()`, `.`, `..`, and predicates `[n]`, `[last()]`, `[@a]`, `[@a='v']`,
// `[name='v']`. The value of the first match follows REST Client: an attribute gives its value, an
// element its serialised children, the document its serialised root element.

export class XPathError extends Error {}

export interface XmlElement {
  type: 'element';
  name: string;
  attributes: { name: string; value: string }[];
  children: XmlNode[];
  parent: XmlElement | XmlDocument;
}
export interface XmlText {
  type: 'text';
  value: string;
  cdata: boolean;
  parent: XmlElement | XmlDocument;
}
export interface XmlDocument {
  type: 'document';
  children: XmlNode[];
}
export type XmlNode = XmlElement | XmlText;
interface XmlAttr {
  type: 'attribute';
  name: string;
  value: string;
  parent: XmlElement;
}
type AnyNode = XmlElement | XmlText | XmlDocument | XmlAttr;

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(text: string): string {
  if (text.indexOf('&') === -1) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|[A-Za-z]+);/g, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[e] ?? m;
  });
}

/** Never throws: malformed markup yields whatever structure could be read. */
export function parseXml(text: string): XmlDocument {
  const doc: XmlDocument = { type: 'document', children: [] };
  let parent = doc as XmlElement | XmlDocument;
  let i = 0;
  const pushText = (value: string, cdata: boolean) => {
    if (value === '') return;
    parent.children.push({ type: 'text', value, cdata, parent });
  };
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    if (lt === -1) {
      if (parent !== doc) pushText(decode(text.slice(i)), false);
      break;
    }
    if (lt > i && parent !== doc) pushText(decode(text.slice(i, lt)), false);
    if (text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt + 4);
      i = end === -1 ? text.length : end + 3;
    } else if (text.startsWith('<![CDATA[', lt)) {
      const end = text.indexOf(']]>', lt + 9);
      pushText(text.slice(lt + 9, end === -1 ? text.length : end), true);
      i = end === -1 ? text.length : end + 3;
    } else if (text.startsWith('<?', lt)) {
      const end = text.indexOf('?>', lt + 2);
      i = end === -1 ? text.length : end + 2;
    } else if (text.startsWith('<!', lt)) {
      const bracket = text.indexOf('[', lt);
      const gt = text.indexOf('>', lt);
      const end = bracket !== -1 && bracket < gt ? text.indexOf(']>', bracket) + 1 : gt;
      i = end <= 0 ? text.length : end + 1;
    } else if (text[lt + 1] === '/') {
      const gt = text.indexOf('>', lt);
      const name = text.slice(lt + 2, gt === -1 ? text.length : gt).trim();
      // close the nearest open element with that name (tolerates stray end tags)
      let p = parent as XmlElement | XmlDocument;
      while (p.type === 'element' && p.name !== name) p = p.parent;
      if (p.type === 'element') parent = p.parent;
      i = gt === -1 ? text.length : gt + 1;
    } else {
      const r = readStartTag(text, lt);
      if (!r) {
        if (parent !== doc) pushText('<', false);
        i = lt + 1;
        continue;
      }
      const el: XmlElement = { type: 'element', name: r.name, attributes: r.attributes, children: [], parent };
      parent.children.push(el);
      if (!r.selfClosing) parent = el;
      i = r.end;
    }
  }
  return doc;
}

function readStartTag(text: string, lt: number): { name: string; attributes: { name: string; value: string }[]; selfClosing: boolean; end: number } | undefined {
  let i = lt + 1;
  const nameStart = i;
  while (i < text.length && !/[\s/>]/.test(text[i])) i++;
  const name = text.slice(nameStart, i);
  if (name === '') return undefined;
  const attributes: { name: string; value: string }[] = [];
  for (;;) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (i >= text.length) return { name, attributes, selfClosing: false, end: i };
    if (text[i] === '>') return { name, attributes, selfClosing: false, end: i + 1 };
    if (text.startsWith('/>', i)) return { name, attributes, selfClosing: true, end: i + 2 };
    const aStart = i;
    while (i < text.length && !/[\s=/>]/.test(text[i])) i++;
    const aName = text.slice(aStart, i);
    if (aName === '') {
      i++;
      continue;
    }
    while (i < text.length && /\s/.test(text[i])) i++;
    let value = '';
    if (text[i] === '=') {
      i++;
      while (i < text.length && /\s/.test(text[i])) i++;
      const q = text[i];
      if (q === '"' || q === "'") {
        const end = text.indexOf(q, i + 1);
        value = decode(text.slice(i + 1, end === -1 ? text.length : end));
        i = end === -1 ? text.length : end + 1;
      } else {
        const vStart = i;
        while (i < text.length && !/[\s>]/.test(text[i])) i++;
        value = decode(text.slice(vStart, i));
      }
    }
    attributes.push({ name: aName, value });
  }
}

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
}

export function serializeXml(node: XmlNode): string {
  if (node.type === 'text') return node.cdata ? `<![CDATA[${node.value}]]>` : escapeText(node.value);
  const attrs = node.attributes.map((a) => ` ${a.name}="${escapeAttr(a.value)}"`).join('');
  if (node.children.length === 0) return `<${node.name}${attrs}/>`;
  return `<${node.name}${attrs}>${node.children.map(serializeXml).join('')}</${node.name}>`;
}

// ── XPath ───────────────────────────────────────────────────────────────────────────────────────

type Test = { kind: 'name'; name: string } | { kind: 'any' } | { kind: 'text' } | { kind: 'node' } | { kind: 'self' } | { kind: 'parent' };
type Predicate =
  | { kind: 'position'; n: number }
  | { kind: 'last' }
  | { kind: 'has-attr'; name: string }
  | { kind: 'attr-eq'; name: string; value: string; negate: boolean }
  | { kind: 'child-eq'; name: string; value: string; negate: boolean }
  | { kind: 'has-child'; name: string };
interface XStep {
  descendant: boolean;
  attribute: boolean;
  test: Test;
  predicates: Predicate[];
}

function parseXPath(path: string): { absolute: boolean; steps: XStep[] } {
  const s = path.trim();
  let i = 0;
  const steps: XStep[] = [];
  let absolute = false;
  let descendant = false;
  if (s.startsWith('//')) {
    absolute = true;
    descendant = true;
    i = 2;
  } else if (s.startsWith('/')) {
    absolute = true;
    i = 1;
  }
  if (s === '/') return { absolute: true, steps: [] };
  while (i < s.length) {
    let attribute = false;
    if (s[i] === '@') {
      attribute = true;
      i++;
    } else if (s.startsWith('attribute::', i)) {
      attribute = true;
      i += 11;
    } else if (s.startsWith('child::', i)) i += 7;
    const start = i;
    while (i < s.length && s[i] !== '/' && s[i] !== '[') i++;
    const raw = s.slice(start, i).trim();
    let test: Test;
    if (raw === '*') test = { kind: 'any' };
    else if (raw === 'text()') test = { kind: 'text' };
    else if (raw === 'node()') test = { kind: 'node' };
    else if (raw === '.') test = { kind: 'self' };
    else if (raw === '..') test = { kind: 'parent' };
    else if (/^[A-Za-z_][\w.:-]*$/.test(raw)) test = { kind: 'name', name: raw };
    else throw new XPathError(`Cannot read "${raw}" in the XPath.`);
    const predicates: Predicate[] = [];
    while (s[i] === '[') {
      const end = s.indexOf(']', i);
      if (end === -1) throw new XPathError('An XPath predicate is missing its ].');
      predicates.push(parsePredicate(s.slice(i + 1, end).trim()));
      i = end + 1;
    }
    steps.push({ descendant, attribute, test, predicates });
    descendant = false;
    if (s.startsWith('//', i)) {
      descendant = true;
      i += 2;
    } else if (s[i] === '/') i++;
    else if (i < s.length) throw new XPathError(`Unexpected "${s.slice(i, i + 10)}" in the XPath.`);
  }
  return { absolute, steps };
}

function parsePredicate(p: string): Predicate {
  if (/^\d+$/.test(p)) return { kind: 'position', n: Number(p) };
  if (p === 'last()') return { kind: 'last' };
  let m = /^@([\w.:-]+)$/.exec(p);
  if (m) return { kind: 'has-attr', name: m[1] };
  m = /^@([\w.:-]+)\s*(!?=)\s*(?:'([^']*)'|"([^"]*)")$/.exec(p);
  if (m) return { kind: 'attr-eq', name: m[1], value: m[3] ?? m[4], negate: m[2] === '!=' };
  m = /^([A-Za-z_][\w.:-]*)\s*(!?=)\s*(?:'([^']*)'|"([^"]*)")$/.exec(p);
  if (m) return { kind: 'child-eq', name: m[1], value: m[3] ?? m[4], negate: m[2] === '!=' };
  m = /^([A-Za-z_][\w.:-]*)$/.exec(p);
  if (m) return { kind: 'has-child', name: m[1] };
  throw new XPathError(`The XPath predicate [${p}] is not supported.`);
}

function textContent(n: AnyNode): string {
  if (n.type === 'text' || n.type === 'attribute') return n.value;
  return n.children.map(textContent).join('');
}

function descendantsOrSelf(n: AnyNode, out: AnyNode[]): void {
  out.push(n);
  if (n.type === 'element' || n.type === 'document') for (const c of n.children) descendantsOrSelf(c, out);
}

function matches(n: AnyNode, test: Test): boolean {
  switch (test.kind) {
    case 'any':
      return n.type === 'element' || n.type === 'attribute';
    case 'name':
      return (n.type === 'element' || n.type === 'attribute') && n.name === test.name;
    case 'text':
      return n.type === 'text';
    case 'node':
      return true;
    default:
      return false;
  }
}

function applyPredicate(list: AnyNode[], p: Predicate): AnyNode[] {
  switch (p.kind) {
    case 'position':
      return p.n >= 1 && p.n <= list.length ? [list[p.n - 1]] : [];
    case 'last':
      return list.length > 0 ? [list[list.length - 1]] : [];
    case 'has-attr':
      return list.filter((n) => n.type === 'element' && n.attributes.some((a) => a.name === p.name));
    case 'attr-eq':
      return list.filter((n) => n.type === 'element' && n.attributes.some((a) => a.name === p.name && (a.value === p.value) !== p.negate));
    case 'child-eq':
      return list.filter((n) => n.type === 'element' && n.children.some((c) => c.type === 'element' && c.name === p.name && (textContent(c) === p.value) !== p.negate));
    case 'has-child':
      return list.filter((n) => n.type === 'element' && n.children.some((c) => c.type === 'element' && c.name === p.name));
  }
}

/** The nodes `path` selects from the document, in document order (XPathError on an unsupported path). */
export function xpathSelect(doc: XmlDocument, path: string): AnyNode[] {
  const { steps } = parseXPath(path);
  let current: AnyNode[] = [doc];
  for (const step of steps) {
    const bases: AnyNode[] = [];
    if (step.descendant) for (const n of current) descendantsOrSelf(n, bases);
    else bases.push(...current);
    const next: AnyNode[] = [];
    const seen = new Set<AnyNode>();
    for (const base of bases) {
      let candidates: AnyNode[];
      if (step.test.kind === 'self') candidates = [base];
      else if (step.test.kind === 'parent') candidates = base.type === 'document' ? [] : [base.parent];
      else if (step.attribute) candidates = base.type === 'element' ? base.attributes.map((a): XmlAttr => ({ type: 'attribute', name: a.name, value: a.value, parent: base })) : [];
      else candidates = base.type === 'element' || base.type === 'document' ? base.children : [];
      let selected = candidates.filter((c) => step.test.kind === 'self' || step.test.kind === 'parent' || matches(c, step.test));
      for (const p of step.predicates) selected = applyPredicate(selected, p);
      for (const n of selected) {
        if (!seen.has(n)) {
          seen.add(n);
          next.push(n);
        }
      }
    }
    current = next;
  }
  return current;
}

/** REST Client's value of the first match (requestVariableCacheValueProcessor): undefined when nothing matches. */
export function xpathValue(xml: string, path: string): string | undefined {
  const nodes = xpathSelect(parseXml(xml), path);
  if (nodes.length === 0) return undefined;
  const n = nodes[0];
  if (n.type === 'document') {
    const root = n.children.find((c) => c.type === 'element');
    return root ? serializeXml(root) : '';
  }
  if (n.type === 'element') return n.children.map(serializeXml).join('');
  return n.value;
}
