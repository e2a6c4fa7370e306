/**
 * What only the server's operator should read, in the order it is taken out of a message: a Lua
 * script's location and hash first (they contain text the address patterns would half-match), then
 * URLs, then bare addresses. The server log keeps the full text.
 */
const INTERNALS: ReadonlyArray<readonly [RegExp, string]> = [
  // Redis 7: "… script: <sha>, on @user_script:17."; older: "(call to f_<sha>): @user_script:17:".
  [/\s*script:\s*[0-9a-f]{40},\s*on\s+@?user_script:\d+\.?/gi, ''],
  [/\s*\(call to f_[0-9a-f]{40}\)/gi, ''],
  [/@?user_script:\d+:?\s*/gi, ''],
  [/\b[\w.-]+\.lua:\d+(?::\d+)?:?\s*/gi, ''],
  [/(?<![0-9a-z])(?:f_)?[0-9a-f]{40}(?:[0-9a-f]{24})?(?![0-9a-z])/gi, '<hash>'],
  // Any URL (redis://, postgres://, http://), with its credentials, host, port and path.
  [/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]*[^\s"'<>.,;:)\]]/gi, '<address>'],
  [/\[[0-9a-f:.]*:[0-9a-f:.]*\](?::\d{1,5})?/gi, '<address>'],
  [/(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?(?![\w.])/g, '<address>'],
  // host:port, not preceded by ":" or "}" so that a Redis key such as lab:{ns}:account:12 stays.
  [/(?<![\w:{}./-])[a-z][a-z0-9-]*(?:\.[a-z0-9-]+)*:\d{2,5}(?![\w.])/gi, '<address>'],
  [/\b(ENOTFOUND|EAI_AGAIN)\s+[^\s,;)]+/g, '$1 <address>'],
];

/** `text` without internal addresses, script hashes or Lua line numbers (see INTERNALS). */
export const withoutInternals = (text: string): string => {
  const cleaned = INTERNALS.reduce(
    (current, [pattern, replacement]) => current.replace(pattern, replacement),
    text,
  );
  // Only where something was taken out: a client's own input, echoed in a 400, stays as sent.
  return cleaned === text ? text : cleaned.replace(/ {2,}/g, ' ').trim();
};

/** `value` with every string in it passed through withoutInternals; numbers and the shape unchanged. */
export const publicValue = (value: unknown): unknown => {
  if (typeof value === 'string') return withoutInternals(value);
  if (Array.isArray(value)) return value.map(publicValue);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, publicValue(inner)]));
  return value;
};
