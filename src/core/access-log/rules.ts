// Monitoring rules: a small text file that sets the detectors' thresholds, the clients never to alert
// on, and the routes that matter more. The same rules serve `woo-api logs analyze`, `woo-api logs
// watch` and the editor's Watch Access Log. The format is documented in docs/monitoring-rules.md;
// in short, one rule per line, `#` starts a comment:
//
//   version 1
//   burst 20 in 60s counting 401 403
//   keys 5 in 1h
//   revoked 3 then 5
//   unusual-hours 50 requests over 3 days at most 1%
//   quiet-hours 22:00-06:00 +01:00
//   resolve-after 10m
//   off secret-in-query
//   allow ip 203.0.113.0/24 2001:db8:42::/48
//   allow agent "UptimeRobot"
//   important /wc/v3/orders /customers
//
// Every mistake is reported with its line number, one sentence each, all of them at once: a rules
// file is checked before anything is watched, and nothing half-read is used.
//
// Pure: no `vscode`, no I/O.

import { parseAddressRange, type AddressRange } from './address-range';
import type { AccessLogFindingKind, AccessLogOptions, QuietHours } from './analyze';

export const RULES_VERSION = 1;

/** What a rules file sets: options for the analyzer (batch or live). Absent fields keep their defaults. */
export type MonitorRules = Pick<AccessLogOptions,
  'burstCount' | 'burstWindowSeconds' | 'burstStatuses' | 'distinctKeys' | 'keyWindowSeconds' | 'successesBeforeFailure' | 'failuresInARow'
  | 'unusualHourMinHistory' | 'unusualHourMinDays' | 'unusualHourMaxShare' | 'quietHours' | 'resolveAfterSeconds' | 'off' | 'allow' | 'important'>;

export interface RulesProblem {
  /** 1-based line of the rules file. */
  line: number;
  message: string;
}

/** A rules file that cannot be used; `problems` has every mistake, by line. */
export class RulesError extends Error {
  constructor(readonly problems: RulesProblem[], file = 'the rules file') {
    super(problems.map((p) => `${file}:${p.line}: ${p.message}`).join('\n'));
  }
}

const DETECTORS: Record<string, AccessLogFindingKind> = {
  'auth-burst': 'auth-burst', burst: 'auth-burst',
  'many-consumer-keys': 'many-consumer-keys', keys: 'many-consumer-keys',
  'success-then-failure': 'success-then-failure', revoked: 'success-then-failure',
  'credentials-over-http': 'credentials-over-http',
  'secret-in-query': 'secret-in-query',
  'unusual-hour': 'unusual-hour', 'unusual-hours': 'unusual-hour',
};

const RULE_NAMES = ['version', 'burst', 'keys', 'revoked', 'unusual-hours', 'quiet-hours', 'resolve-after', 'off', 'allow', 'important'];

/** Words of a line, `"quoted text"` as one word (with \" and \\), up to a `#` that starts a word. */
function words(text: string): { words: string[]; error?: string } {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t') { i++; continue; }
    if (c === '#') break;
    if (c === '"') {
      let w = '';
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '\\' && j + 1 < text.length) j++;
        w += text[j];
      }
      if (j >= text.length) return { words: out, error: 'a quoted text is not closed: add the closing ".' };
      out.push(w);
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < text.length && text[j] !== ' ' && text[j] !== '\t') j++;
    out.push(text.slice(i, j));
    i = j;
  }
  return { words: out };
}

const UNITS: Record<string, number> = {
  s: 1, sec: 1, secs: 1, second: 1, seconds: 1,
  m: 60, min: 60, mins: 60, minute: 60, minutes: 60,
  h: 3600, hour: 3600, hours: 3600,
  d: 86400, day: 86400, days: 86400,
};

/** `90s`, `10m`, `2h`, `1d` (also `10min`, `2hours`) → seconds; undefined when it is not a duration. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)([a-z]+)$/.exec(text.trim().toLowerCase());
  if (!m || UNITS[m[2]] === undefined) return undefined;
  const v = Number(m[1]) * UNITS[m[2]];
  return Number.isFinite(v) && v > 0 ? v : undefined;
}

/**
 * `--since`: a duration back from `nowMs` (`10m`, `2h`, `1d`) or a date and time (`2026-11-27T10:00`,
 * `2026-11-27 10:00:00+01:00`; without a zone, UTC). UTC ms, or undefined when it is neither.
 */
export function parseSince(text: string, nowMs: number): number | undefined {
  const d = parseDuration(text);
  if (d !== undefined) return nowMs - d * 1000;
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?(Z|[+-]\d{2}:?\d{2})?$/.exec(text.trim());
  if (!m) return undefined;
  const zoneText = m[3] === undefined ? 'Z' : m[3].length === 5 ? `${m[3].slice(0, 3)}:${m[3].slice(3)}` : m[3];
  const t = Date.parse(`${m[1]}T${m[2] ?? '00:00'}${zoneText}`);
  return Number.isFinite(t) ? t : undefined;
}

function count(text: string | undefined, min: number): number | undefined {
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n >= min && n <= 1e9 ? n : undefined;
}

/** `22:00` → minutes after midnight. */
function clock(text: string): number | undefined {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (!m || Number(m[1]) > 24 || Number(m[2]) > 59 || (Number(m[1]) === 24 && Number(m[2]) !== 0)) return undefined;
  return Number(m[1]) * 60 + Number(m[2]);
}

/** `UTC`, `Z`, `+01:00`, `-0500` → minutes east of UTC. */
function zone(text: string): number | undefined {
  if (/^(utc|gmt|z)$/i.test(text)) return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(text);
  if (!m || Number(m[2]) > 14 || Number(m[3]) > 59) return undefined;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

/**
 * A route as the rules write it: `/wc/v3/orders`, `wc/v3/orders`, `/wp-json/wc/v3/orders/`, or a
 * tail such as `/customers` (matched wherever it starts a path segment).
 */
function normaliseImportantRoute(text: string): string | undefined {
  let r = text.trim();
  if (!r.startsWith('/')) r = `/${r}`;
  if (r.startsWith('/wp-json/')) r = r.slice(8);
  while (r.length > 1 && r.endsWith('/')) r = r.slice(0, -1);
  if (r === '/' || /[\s?#]/.test(r)) return undefined;
  return r;
}

/** Parses a rules file; throws a RulesError listing every problem by line. */
export function parseRules(text: string, file?: string): MonitorRules {
  const rules: MonitorRules = {};
  const problems: RulesProblem[] = [];
  const seen = new Map<string, number>();
  const ranges: AddressRange[] = [];
  const agents: string[] = [];
  const important: string[] = [];
  const off = new Set<AccessLogFindingKind>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);

  lines.forEach((raw, i) => {
    const line = i + 1;
    const problem = (message: string) => void problems.push({ line, message });
    const parsed = words(raw);
    if (parsed.error) return problem(parsed.error);
    const w = parsed.words;
    if (w.length === 0) return;
    const [name, ...args] = w;
    const rule = name.toLowerCase();
    if (!RULE_NAMES.includes(rule)) {
      return problem(`"${name}" is not a rule; the rules are ${RULE_NAMES.join(', ')}.`);
    }
    // Rules that may appear once (allow, important and off add up); a wrong line does not count as set.
    const once = !['allow', 'important', 'off'].includes(rule);
    const before = once ? seen.get(rule) : undefined;
    if (before !== undefined) return problem(`"${rule}" is already set on line ${before}; keep one of them.`);
    const problemsBefore = problems.length;
    readRule(rule, args, problem);
    if (once && problems.length === problemsBefore) seen.set(rule, line);
  });

  function readRule(rule: string, args: string[], problem: (message: string) => void): void {
    switch (rule) {
      case 'version': {
        if (args.length !== 1 || args[0] !== String(RULES_VERSION)) return problem(`this program reads rules version ${RULES_VERSION}; "version ${args.join(' ')}" is not one it knows.`);
        return;
      }
      case 'burst': {
        // burst N in DURATION [counting 401 [403]]
        const n = count(args[0], 2);
        const window = args[1] === 'in' && args[2] !== undefined ? parseDuration(args[2]) : undefined;
        if (n === undefined || window === undefined || (args.length > 3 && args[3] !== 'counting')) {
          return problem('"burst" takes a count of 2 or more and a window, as in "burst 20 in 60s" (optionally followed by "counting 401 403").');
        }
        rules.burstCount = n;
        rules.burstWindowSeconds = window;
        if (args.length > 3) {
          const statuses = args.slice(4);
          if (statuses.length === 0 || statuses.some((s) => s !== '401' && s !== '403') || !statuses.includes('401')) {
            return problem('"counting" lists the answers a burst counts: "401" or "401 403".');
          }
          rules.burstStatuses = [...new Set(statuses.map(Number))].sort();
        }
        return;
      }
      case 'keys': {
        // keys K [in DURATION]
        const k = count(args[0], 2);
        const window = args.length >= 3 && args[1] === 'in' ? parseDuration(args[2]) : undefined;
        if (k === undefined || (args.length > 1 && (window === undefined || args.length !== 3))) {
          return problem('"keys" takes a count of 2 or more different consumer keys from one client, optionally within a window, as in "keys 5" or "keys 5 in 1h".');
        }
        rules.distinctKeys = k;
        if (window !== undefined) rules.keyWindowSeconds = window;
        return;
      }
      case 'revoked': {
        // revoked S then F
        const s = count(args[0], 1);
        const f = args[1] === 'then' ? count(args[2], 1) : undefined;
        if (s === undefined || f === undefined || args.length !== 3) {
          return problem('"revoked" takes the successes and then the 401s in a row that make a key that stopped working, as in "revoked 3 then 5".');
        }
        rules.successesBeforeFailure = s;
        rules.failuresInARow = f;
        return;
      }
      case 'unusual-hours': {
        // unusual-hours N requests over D days at most P%   |   unusual-hours off
        if (args.length === 1 && args[0] === 'off') {
          off.add('unusual-hour');
          return;
        }
        const n = count(args[0], 1);
        const d = args[1] === 'requests' && args[2] === 'over' ? count(args[3], 1) : undefined;
        const pm = args[4] === 'days' && args[5] === 'at' && args[6] === 'most' && args.length === 8 ? /^(\d+(?:\.\d+)?)%$/.exec(args[7]) : null;
        if (n === undefined || d === undefined || !pm || Number(pm[1]) > 100) {
          return problem('"unusual-hours" takes a history and a share, as in "unusual-hours 50 requests over 3 days at most 1%", or "unusual-hours off".');
        }
        rules.unusualHourMinHistory = n;
        rules.unusualHourMinDays = d;
        rules.unusualHourMaxShare = Number(pm[1]) / 100;
        return;
      }
      case 'quiet-hours': {
        // quiet-hours HH:MM-HH:MM [ZONE]
        const span = /^(\d{1,2}:\d{2})-(\d{1,2}:\d{2})$/.exec(args[0] ?? '');
        const from = span ? clock(span[1]) : undefined;
        const to = span ? clock(span[2]) : undefined;
        const z = args[1] !== undefined ? zone(args[1]) : undefined;
        if (from === undefined || to === undefined || from === to || args.length > 2 || (args[1] !== undefined && z === undefined)) {
          return problem('"quiet-hours" takes a span of the day and optionally a zone, as in "quiet-hours 22:00-06:00" (the log\'s own zone) or "quiet-hours 22:00-06:00 +01:00".');
        }
        const q: QuietHours = { fromMinute: from % 1440, toMinute: to % 1440, text: args.join(' ') };
        if (z !== undefined) q.offsetMinutes = z;
        rules.quietHours = q;
        return;
      }
      case 'resolve-after': {
        const s = args.length === 1 ? parseDuration(args[0]) : undefined;
        if (s === undefined) return problem('"resolve-after" takes a duration, as in "resolve-after 10m": an alert is resolved when nothing new joins it for that long.');
        rules.resolveAfterSeconds = s;
        return;
      }
      case 'off': {
        if (args.length === 0) return problem(`"off" names the detectors to turn off: ${Object.values(DETECTORS).filter((v, j, a) => a.indexOf(v) === j).join(', ')}.`);
        for (const a of args) {
          const kind = DETECTORS[a.toLowerCase()];
          if (!kind) return problem(`"${a}" is not a detector; the detectors are ${Object.values(DETECTORS).filter((v, j, a2) => a2.indexOf(v) === j).join(', ')}.`);
          off.add(kind);
        }
        return;
      }
      case 'allow': {
        const what = args[0];
        const values = args.slice(1);
        if ((what !== 'ip' && what !== 'agent') || values.length === 0) {
          return problem('"allow" takes "ip" and addresses or ranges (203.0.113.0/24, 2001:db8::/32), or "agent" and a user agent text, as in allow agent "UptimeRobot".');
        }
        if (what === 'ip') {
          for (const v of values) {
            try {
              ranges.push(parseAddressRange(v));
            } catch (err) {
              return problem((err as Error).message);
            }
          }
        } else {
          for (const v of values) {
            if (v.trim().length < 3) return problem(`"${v}" is too short to name a user agent (3 characters or more), it would match almost anything.`);
            agents.push(v.toLowerCase());
          }
        }
        return;
      }
      case 'important': {
        if (args.length === 0) return problem('"important" names REST routes, as in "important /wc/v3/orders /customers".');
        for (const a of args) {
          const r = normaliseImportantRoute(a);
          if (!r) return problem(`"${a}" is not a route: write a path such as /wc/v3/orders (no query, no spaces).`);
          if (!important.includes(r)) important.push(r);
        }
        return;
      }
    }
  }

  if (problems.length) throw new RulesError(problems, file);
  if (off.size) rules.off = [...off];
  if (ranges.length || agents.length) rules.allow = { ranges, agents };
  if (important.length) rules.important = important;
  return rules;
}
