import qs from "qs";
import * as route from "../../app/api/statuspage/v1/[[...path]]/route.ts";

/*
 * Calls the Statuspage v1 route handler the way a client does: a real
 * Request with `Authorization: OAuth <key>` and a JSON or bracket-notation
 * form body (encoded by qs, as Rails-style clients encode it).
 */
export type Encoding = "json" | "form";

export interface CallOptions {
  body?: object;
  encoding?: Encoding;
  /** null: no Authorization header. */
  key?: string | null;
  raw?: string;
  type?: string;
}

export function statuspageV1Client(defaultKey: () => string, base = "http://localhost:3314/api/statuspage/v1/") {
  return async function call(method: string, path: string, options: CallOptions = {}) {
    const url = new URL(path, base);
    const headers: Record<string, string> = {};
    const key = options.key === undefined ? defaultKey() : options.key;
    if (key) headers.authorization = `OAuth ${key}`;
    let body: string | undefined = options.raw;
    if (options.body) {
      if (options.encoding === "form") {
        headers["content-type"] = "application/x-www-form-urlencoded";
        body = qs.stringify(options.body, { arrayFormat: "brackets" });
      } else {
        headers["content-type"] = "application/json";
        body = JSON.stringify(options.body);
      }
    }
    if (options.type) headers["content-type"] = options.type;
    const segments = url.pathname.replace("/api/statuspage/v1/", "").split("/");
    const handler = route[method as "GET" | "POST" | "PATCH" | "PUT" | "DELETE"];
    const response = await handler(new Request(url, { method, headers, body }), { params: Promise.resolve({ path: segments }) });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
  };
}
