import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/*
 * A local HTTP receiver for channel deliveries: records every request (raw
 * body kept for signature checks) and answers as the test says, per path:
 * 2xx, 5xx, 429 with Retry-After, a redirect, a slow answer, a hang.
 */
export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  json: unknown;
  at: number;
}

export type Behaviour = (req: Received, res: ServerResponse, count: number) => void | Promise<void>;

export class Receiver {
  readonly requests: Received[] = [];
  private readonly behaviours = new Map<string, Behaviour>();
  private readonly counts = new Map<string, number>();
  private server: Server | null = null;
  fallback: Behaviour = (_req, res) => {
    res.writeHead(200, { "content-type": "text/plain" }).end("ok");
  };
  url = "";

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        let json: unknown = null;
        try {
          json = JSON.parse(raw);
        } catch {
          json = null;
        }
        const path = (req.url ?? "/").split("?")[0];
        const received: Received = { path, headers: req.headers, raw, json, at: Date.now() };
        this.requests.push(received);
        const count = (this.counts.get(path) ?? 0) + 1;
        this.counts.set(path, count);
        void (this.behaviours.get(path) ?? this.fallback)(received, res, count);
      });
    });
    this.server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  on(path: string, behaviour: Behaviour): void {
    this.behaviours.set(path, behaviour);
  }

  at(path: string): Received[] {
    return this.requests.filter((r) => r.path === path);
  }

  clear(): void {
    this.requests.length = 0;
    this.behaviours.clear();
    this.counts.clear();
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
