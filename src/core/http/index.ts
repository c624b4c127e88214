// The `.http` language core: parse a document, resolve a request's variables, read environments.
export * from './types';
export { indexHttpDocument, parseHttpDocument, requestAt, type ParseOptions } from './parse';
export {
  resolveRequest,
  resolveVariable,
  requestStoreName,
  requestVariableReferences,
  substituteFileBody,
  variableReferences,
  isSecretPromptName,
  mergeHeaders,
  type MachineValue,
  type NamedExchange,
  type ResolvedBody,
  type ResolvedBodyPart,
  type ResolvedRequest,
  type VariableContext,
  type VariableKind,
  type VariableReference,
} from './variables';
export { SYSTEM_VARIABLES, isSystemVariable, resolveSystemVariable, formatDate, addOffset, type SystemVariableContext, type SystemVariableResult, type ValueSource } from './system-variables';
export {
  SHARED,
  dotenvCandidates,
  environmentNames,
  jetbrainsEnvironment,
  mergeEnvironments,
  normalizeEnvironments,
  parseDotenv,
  parseEnvironmentFile,
  privateEnvironmentNames,
  restClientEnvironment,
  type EnvironmentSet,
} from './environments';
export { encodeUrl } from './encode-url';
export { textBodyLines } from './body';
export { jsonPathQuery, JsonPathError } from './jsonpath';
export { xpathValue, XPathError } from './xpath';
export {
  ASSERTION_OPERATORS,
  ASSERTION_SUBJECTS,
  DURATION_PHASES,
  assertionValue,
  evaluateAssertion,
  isAssertion,
  parseAssertion,
  parseBodyJson,
  showValue,
  type Assertion,
  type AssertionOutcome,
  type AssertionResponse,
  type AssertionSubject,
  type AssertionSyntaxError,
} from './assertions';
