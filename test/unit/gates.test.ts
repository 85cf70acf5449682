import { describe, expect, it } from "vitest";
import { Gate, processGate } from "#lib/runtime/gates.ts";

describe("a gate", () => {
  it("lets `slots` in, queues `queue` in order, refuses the rest at once", async () => {
    const gate = new Gate(2, 1);
    expect(await gate.enter()).toBe(true);
    expect(await gate.enter()).toBe(true);
    const order: string[] = [];
    const queued = gate.enter().then((ok) => order.push(`queued:${ok}`));
    expect(await gate.enter()).toBe(false);
    expect(gate.tryEnter()).toBe(false);
    expect(gate.waiting).toBe(1);
    gate.leave();
    await queued;
    expect(order).toEqual(["queued:true"]);
    // The slot passed straight to the waiter: still two running, none free for a newcomer.
    expect(gate.running).toBe(2);
    expect(gate.tryEnter()).toBe(false);
    gate.leave();
    gate.leave();
    expect(gate.running).toBe(0);
  });

  it("is one per process and name", () => {
    expect(processGate("test-gate", 1, 0)).toBe(processGate("test-gate", 5, 5));
    expect(processGate("test-gate", 1, 0)).not.toBe(processGate("other-gate", 1, 0));
  });
});
