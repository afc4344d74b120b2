// What a Next.js proxy answers after its handler: the handler's response, else the page with the
// request's (refreshed) cookies forwarded — always a NextResponse, so cookies can be added to it.
import { NextResponse } from "next/server";

/** `custom` as a NextResponse (a plain `Response` — `Response.redirect`, a `fetch` — has headers
 *  that cannot take a cookie: copied), or the page when the handler answered nothing. */
export function handlerResponse(custom: Response | null | undefined | void, request: Request): NextResponse {
  if (custom instanceof NextResponse) return custom;
  if (custom) return new NextResponse(custom.body, { status: custom.status, statusText: custom.statusText, headers: custom.headers });
  return NextResponse.next({ request: { headers: request.headers } });
}
