import type { Request } from 'express';
import { type InvalidInput, quoted } from '../request-validation.ts';

const ACCEPTED =
  'percent-encoded UTF-8: "%" and two hex digits per byte, the bytes forming whole UTF-8 characters (what encodeURIComponent writes)';

const decodes = (segment: string): boolean => {
  try {
    decodeURIComponent(segment);
    return true;
  } catch {
    return false;
  }
};

/**
 * The parameter of the first route whose shape fits `rawPath` (literal segments equal, ignoring
 * case as the router does) and whose raw value does not decode. Only plain `/a/:b/c` patterns are
 * read: the ones this app registers.
 */
const undecodableParameter = (
  patterns: readonly string[],
  rawPath: string,
): { readonly name: string; readonly raw: string } | undefined => {
  const segments = (rawPath.length > 1 ? rawPath.replace(/\/$/, '') : rawPath).split('/');
  for (const pattern of patterns) {
    const parts = pattern.split('/');
    if (parts.length !== segments.length) continue;
    const fits = parts.every(
      (part, i) => part.startsWith(':') || part.toLowerCase() === segments[i]?.toLowerCase(),
    );
    if (!fits) continue;
    const index = parts.findIndex((part, i) => part.startsWith(':') && !decodes(segments[i] ?? ''));
    if (index !== -1) return { name: parts[index]?.slice(1) ?? 'path', raw: segments[index] ?? '' };
  }
  return undefined;
};

/**
 * The refusal of a path whose percent-encoding does not decode, naming the route parameter that holds
 * it (or the path): the router decodes a parameter when a route's shape matches and throws a URIError
 * with status 400 for a value like `%zz` or truncated UTF-8 (`%E2%82`). Undefined for any other error.
 */
export const pathEncodingRefusal = (error: unknown, req: Request): InvalidInput | undefined => {
  if (!(error instanceof URIError) || (error as { status?: unknown }).status !== 400) return undefined;
  const patterns = req.app.router.stack.flatMap((layer) =>
    typeof layer.route?.path === 'string' ? [layer.route.path] : [],
  );
  const parameter = undecodableParameter(patterns, req.path);
  return parameter
    ? {
        field: parameter.name,
        message: `path parameter ${parameter.name} is not valid percent-encoding: got ${quoted(parameter.raw)}`,
        accepted: ACCEPTED,
      }
    : {
        field: 'path',
        message: `the path is not valid percent-encoding: got ${quoted(req.path)}`,
        accepted: ACCEPTED,
      };
};
