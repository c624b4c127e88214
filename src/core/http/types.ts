// The data a parsed `.http` / `.rest` document is made of. Plain data only: every range is 0-based
// (line, character) in the document as the editor shows it, so the VS Code side can turn a Range
// into a vscode.Range without arithmetic. See docs/http-format.md for the grammar.

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'info';

/**
 * One thing wrong (or worth knowing) about the document. `code` is stable and machine-readable
 * (quick fixes key on it); `message` is a sentence for the user.
 */
export interface Problem {
  range: Range;
  message: string;
  severity: Severity;
  code: ProblemCode;
}

export type ProblemCode =
  // parse time
  | 'indented-delimiter'
  | 'request-line-in-body'
  | 'request-line-in-headers'
  | 'missing-blank-line'
  | 'header-without-colon'
  | 'http-version-position'
  | 'unknown-method'
  | 'missing-url'
  | 'metadata-after-request-line'
  | 'variable-in-request'
  | 'duplicate-name'
  | 'unterminated-script'
  | 'unterminated-fence'
  | 'text-after-response-handler'
  | 'multipart-no-boundary'
  | 'multipart-unterminated'
  | 'curl-no-url'
  | 'curl-unterminated-quote'
  | 'curl-unsupported-option'
  | 'curl-ignored-text'
  | 'curl-malformed-url'
  | 'invalid-assertion'
  // resolution time
  | 'unknown-variable'
  | 'variable-cycle'
  | 'variable-too-large'
  | 'variable-too-deep'
  | 'prompt-missing'
  | 'request-not-sent'
  | 'invalid-request-variable'
  | 'response-value-not-found'
  | 'invalid-system-variable'
  | 'unsupported-system-variable'
  | 'process-env-unset'
  | 'dotenv-missing'
  | 'missing-body-file'
  | 'no-store'
  | 'unknown-store'
  | 'invalid-graphql-variables'
  | 'relative-url'
  // response time
  | 'body-not-json';

/** A piece of text that sits on a single document line; `range` covers exactly `text`. */
export interface TextLine {
  text: string;
  range: Range;
}

export interface HeaderLine {
  name: string;
  value: string;
  /** The whole header line (for curl blocks: the `-H` argument). */
  range: Range;
  nameRange: Range;
  valueRange: Range;
}

/** A `< path`, `<@ path` or `<@latin1 path` line. */
export interface FileReference {
  kind: 'file';
  path: string;
  /** `<@`: the file is read as text and its `{{variables}}` are substituted. */
  processVariables: boolean;
  /** `<@latin1 path` → 'latin1'. Absent means utf8. */
  encoding?: string;
  range: Range;
}

export type BodyLine = ({ kind: 'text' } & TextLine) | FileReference;

export interface MultipartPart {
  headers: HeaderLine[];
  /** From the part's Content-Disposition. */
  name?: string;
  filename?: string;
  lines: BodyLine[];
  range: Range;
}

export type Body =
  /**
   * Inline text; lines joined with LF (SPEC P12), comment lines already removed. `lines` is left out
   * when the text is the document's lines range.start.line to range.end.line, each from character 0
   * (the usual body, with no comment line inside it): `textBodyLines` gives the lines either way.
   * A large file then keeps one string per body rather than four objects per body line.
   */
  | { kind: 'text'; text: string; lines?: TextLine[]; range: Range }
  /** The whole body is one `< file` line. */
  | { kind: 'file'; path: string; processVariables: boolean; encoding?: string; range: Range }
  /** Inline lines and `< file` lines interleaved (REST Client streams them in order). */
  | { kind: 'mixed'; lines: BodyLine[]; range: Range }
  /** Content-Type multipart/*: every line goes on the wire followed by CRLF (SPEC §2.8, P12). */
  | { kind: 'multipart'; boundary?: string; parts: MultipartPart[]; lines: BodyLine[]; range: Range }
  /** `X-Request-Type: GraphQL` (any case) or the GRAPHQL method: query, blank line, variables JSON. */
  | {
      kind: 'graphql';
      query: string;
      variables?: string;
      operationName?: string;
      queryLines: TextLine[];
      variablesLines: TextLine[];
      range: Range;
    };

export interface PromptDeclaration {
  name: string;
  description?: string;
  range: Range;
}

/** One `# @key [value]` line before the request line. */
export interface MetadataEntry {
  /** Lower-cased key, as written otherwise (`no-redirect`, `noredirect`, `name`, ...). */
  key: string;
  value?: string;
  range: Range;
}

export interface RequestMetadata {
  /** `# @name x`, `# @name = x` (JetBrains), `# @name=x`. */
  name?: string;
  /** Our own `# @store NAME`: the store this request goes to (overrides the file's `@store = ...`). */
  store?: string;
  noRedirect?: boolean;
  noCookieJar?: boolean;
  prompts: readonly PromptDeclaration[];
  /** `# @note [text]`: ask for confirmation before sending. '' when the note has no text. */
  note?: string;
  /** Every metadata line in order, known or not. */
  entries: readonly MetadataEntry[];
  /** Unknown keys (`@ref`, `@loop`, `@timeout`, ...) as `key: value` (`true` when there is no value). */
  [key: string]: unknown;
}

/** A JetBrains `< {% %}` / `> {% %}` / `> file.js` script or an httpYac `{{ }}` block: kept, never run. */
export interface ScriptBlock {
  when: 'pre-request' | 'response';
  flavor: 'jetbrains' | 'httpyac';
  /** Inline source (without the `{% %}` / `{{ }}` markers). */
  source?: string;
  /** `< ./pre.js` / `> ./handler.js`. */
  file?: string;
  range: Range;
}

export interface RequestTemplate {
  /** Position among the document's requests, from 0. */
  index: number;
  /** `# @name`, else the `###` title (JetBrains/httpYac naming, SPEC C25). */
  name?: string;
  /** Text after `###`, else the first plain comment above the request line. */
  title?: string;
  /** Upper-cased (SPEC C03). `GRAPHQL` is kept as written here; resolution sends POST. */
  method: string;
  /** Raw, with `{{vars}}` as written and continuation lines joined (trimmed, no separator). */
  url: string;
  /** The pieces `url` is made of, one per source line, with their ranges. */
  urlLines: readonly TextLine[];
  /** 'HTTP/1.1' etc. when written. */
  httpVersion?: string;
  /** In order, duplicates kept. */
  headers: readonly HeaderLine[];
  body?: Body;
  metadata: RequestMetadata;
  /** The whole block: from the line after the `###` (or the fence line in Markdown) to the last line before the next one. */
  range: Range;
  /** The request line (for a cURL block, its first line). Code lenses sit here. */
  requestLineRange: Range;
  /** The `### title` line, when the block has one. */
  delimiterRange?: Range;
  curl?: boolean;
  /** False for a cURL block without any `-H` (REST Client adds default headers only when one is present, P27). */
  applyDefaultHeaders: boolean;
  scripts: readonly ScriptBlock[];
  /** JetBrains `>> file` / `>>! file`. */
  outputRedirect?: { path: string; overwrite: boolean; range: Range };
  /** JetBrains `<> ./previous-response.json`. */
  responseRefs: readonly { path: string; range: Range }[];
  /** httpYac `?? status == 200` lines, in order (read by assertions.ts, SPEC §10). */
  assertions: readonly TextLine[];
}

export interface FileVariable {
  name: string;
  /** Trimmed, backslash escapes (`\n`, `\t`, `\r`, `\x` → x) applied, `{{references}}` not resolved. */
  value: string;
  /** Trimmed value as written (what `valueRange` covers). */
  rawValue: string;
  /** The whole definition line. */
  range: Range;
  nameRange: Range;
  valueRange: Range;
}

export interface ParsedDocument {
  languageId: 'http' | 'markdown';
  requests: RequestTemplate[];
  /** In document order. When a name is defined twice the last definition wins (SPEC §3.2). */
  fileVariables: FileVariable[];
  /** The value of the last `@store = name` definition (may hold `{{variables}}`). */
  fileStore?: string;
  problems: Problem[];
  lineCount: number;
}
