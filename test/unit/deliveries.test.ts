import { describe, expect, it } from "vitest";
import { chooseMode, deliverySeconds, idempotencyKey } from "#lib/delivery/enqueue.ts";
import { classify } from "#lib/delivery/mailer.ts";

describe("sending mode and estimate", () => {
  it("attach costs one request per email, batch one per 100", () => {
    expect(deliverySeconds(10_000, "attach", 2)).toBe(5_000);
    expect(deliverySeconds(10_000, "batch", 2)).toBe(50);
    expect(deliverySeconds(101, "batch", 2)).toBe(1);
  });

  it("auto attaches while the estimate stays under the target, batches beyond", () => {
    const auto = { mode: "auto" as const, targetSeconds: 120 };
    expect(chooseMode(auto, 240, 2)).toBe("attach");
    expect(chooseMode(auto, 241, 2)).toBe("batch");
    expect(chooseMode({ mode: "attach", targetSeconds: 1 }, 1_000_000, 2)).toBe("attach");
    expect(chooseMode({ mode: "batch", targetSeconds: 1_000 }, 1, 2)).toBe("batch");
  });

  it("derives one idempotency key per subscriber per update and kind, or per confirmation link", () => {
    expect(idempotencyKey({ kind: "incident", updateId: "u1", subscriberId: "s1", tokenId: null })).toBe("u:u1:s1");
    expect(idempotencyKey({ kind: "postmortem", updateId: "u1", subscriberId: "s1", tokenId: null })).toBe("p:u1:s1");
    expect(idempotencyKey({ kind: "confirmation", updateId: null, subscriberId: "s1", tokenId: "t1" })).toBe("c:t1");
  });
});

describe("what a failed request means", () => {
  it("429 waits for retry-after (seconds)", () => {
    expect(classify({ statusCode: 429, name: "rate_limit_exceeded" }, { "retry-after": "3" })).toMatchObject({
      kind: "rate_limited",
      retryAfterMs: 3_000,
    });
  });
  it("network errors, timeouts, 5xx and a concurrent request with the same key are retried", () => {
    expect(classify({ statusCode: null, name: "application_error" }, null).ok).toBe(false);
    expect(classify({ statusCode: null }, null)).toMatchObject({ kind: "transient" });
    expect(classify({ statusCode: 503 }, {})).toMatchObject({ kind: "transient" });
    expect(classify({ statusCode: 409, name: "concurrent_idempotent_requests" }, {})).toMatchObject({ kind: "transient" });
  });
  it("validation errors and a refused key are permanent", () => {
    expect(classify({ statusCode: 422, name: "validation_error" }, {})).toMatchObject({ kind: "permanent" });
    expect(classify({ statusCode: 403, name: "invalid_api_key" }, {})).toMatchObject({ kind: "permanent" });
  });
});
