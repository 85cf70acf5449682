/*
 * A bound on concurrent work: `slots` run at once, `queue` more wait in
 * order, and anything past that is refused at once, so a flood costs a
 * bounded share of the machine and the overflow costs almost nothing.
 */
export class Gate {
  running = 0;
  readonly slots: number;
  readonly queue: number;
  readonly #waiting: Array<() => void> = [];

  // Plain fields, not parameter properties: server.ts runs under Node's type stripping.
  constructor(slots: number, queue: number) {
    this.slots = slots;
    this.queue = queue;
  }

  get waiting(): number {
    return this.#waiting.length;
  }

  /** Takes a free slot (call leave() after), or says there is none. */
  tryEnter(): boolean {
    if (this.running >= this.slots) return false;
    this.running++;
    return true;
  }

  /** Resolves true once a slot is held (call leave() after), false at once when slots and queue are full. */
  async enter(): Promise<boolean> {
    if (this.tryEnter()) return true;
    if (this.#waiting.length >= this.queue) return false;
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
    return true;
  }

  leave(): void {
    // Hand the slot straight to the next waiter, so `running` never dips and lets a newcomer jump the queue.
    const next = this.#waiting.shift();
    if (next) next();
    else this.running--;
  }
}

/** One gate per process and name, whichever of Next's route bundles (or server.ts) asks. */
export function processGate(name: string, slots: number, queue: number): Gate {
  const key = Symbol.for(`candor.gate.${name}`);
  const global = globalThis as unknown as Record<symbol, Gate | undefined>;
  return (global[key] ??= new Gate(slots, queue));
}
