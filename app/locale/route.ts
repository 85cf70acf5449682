import { errorResponse } from "#lib/http/error-responses.ts";
import { localeSwitch } from "#lib/http/locale-routing.ts";
import { localeSettings } from "#lib/runtime/locale-settings.ts";

/*
 * The language switcher's links (components/locale-switcher.tsx): remember
 * the reader's choice and take them to the page they were on, in that
 * language. A plain GET link, so it works without JavaScript; never cached.
 */
export async function GET(request: Request): Promise<Response> {
  try {
    const secure = new URL(request.url).protocol === "https:" || request.headers.get("x-forwarded-proto") === "https";
    const { location, cookie } = localeSwitch(Object.fromEntries(new URL(request.url).searchParams), await localeSettings(), secure);
    return new Response(null, { status: 303, headers: { location, "set-cookie": cookie, "cache-control": "private, no-store" } });
  } catch (error) {
    return errorResponse(error);
  }
}
