// Reading headers kept as [name, value] pairs (an exchange's request and response). Its own module,
// free of core/send.ts's connection pool, so that lazy bundles can read headers without a copy of it.

/** The first value of a header, its name matched without regard to case. */
export function headerValue(headers: readonly [string, string][], name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find(([n]) => n.toLowerCase() === lower)?.[1];
}
