// createRouteMatcher: route patterns as the official package reads them (path-to-regexp 6).
import { pathToRegexp } from "path-to-regexp";
import type { NextRequest } from "next/server";

/** What {@link createRouteMatcher} takes: path patterns, regular expressions, or a predicate. */
export type RouteMatcherParam = string | RegExp | (string | RegExp)[] | ((request: NextRequest) => boolean);

/** A predicate for `request.nextUrl.pathname`: `createRouteMatcher(["/dashboard(.*)", "/admin"])`. */
export function createRouteMatcher(routes: RouteMatcherParam): (request: NextRequest) => boolean {
  if (typeof routes === "function") return (request) => routes(request);
  const patterns = [routes].flat().filter(Boolean).map((route) => {
    if (route instanceof RegExp) return route;
    try {
      return pathToRegexp(route);
    } catch (e) {
      throw new Error(`convex-auth-wasm: invalid route pattern ${JSON.stringify(route)}: ${(e as Error).message}`);
    }
  });
  return (request) => patterns.some((pattern) => pattern.test(request.nextUrl.pathname));
}
