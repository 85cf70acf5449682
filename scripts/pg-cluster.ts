/*
 * A throwaway PostgreSQL cluster for tests and benchmarks: initdb into a temp
 * directory as the `postgres` user (Postgres refuses to run as root), start
 * on a free port, stop and delete on demand.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, chmodSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Cluster {
  url: string;
  port: number;
  dir: string;
  stop(): void;
  /** Stop the server but keep the data, to simulate a dead database. */
  halt(): void;
  resume(): void;
  /** `pg_ctl restart -m fast`: every session is told to end, as in a failover or an upgrade. */
  restart(): void;
}

function pgBin(): string | null {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) if (existsSync(join(root, v, "bin", "initdb"))) return join(root, v, "bin");
  return null;
}

export function postgresAvailable(): boolean {
  return pgBin() !== null;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

function run(cmd: string) {
  const asRoot = process.getuid?.() === 0;
  if (asRoot) execFileSync("su", ["postgres", "-s", "/bin/sh", "-c", cmd], { stdio: "pipe" });
  else execFileSync("sh", ["-c", cmd], { stdio: "pipe" });
}

export async function startCluster(): Promise<Cluster> {
  const bin = pgBin();
  if (!bin) throw new Error("PostgreSQL binaries not found under /usr/lib/postgresql (apt-get install -y postgresql)");
  const dir = mkdtempSync(join(tmpdir(), "candor-pg-"));
  chmodSync(dir, 0o777);
  const data = join(dir, "data");
  if (process.getuid?.() === 0) execFileSync("chown", ["-R", "postgres:postgres", dir]);
  run(`${bin}/initdb -D ${data} --auth=trust --username=postgres --encoding=UTF8 --no-sync >/dev/null`);
  const port = await freePort();
  const start = () =>
    run(
      `${bin}/pg_ctl -D ${data} -l ${dir}/log -o "-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" -w start >/dev/null`,
    );
  start();
  const stopServer = () => {
    try {
      run(`${bin}/pg_ctl -D ${data} -m immediate -w stop >/dev/null`);
    } catch {
      // already stopped
    }
  };
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dir,
    halt: stopServer,
    resume: start,
    restart: () => run(`${bin}/pg_ctl -D ${data} -l ${dir}/log -m fast -w restart >/dev/null`),
    stop() {
      stopServer();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// `node scripts/pg-cluster.ts` starts one and prints its URL (Ctrl-C stops it).
if (import.meta.url === `file://${process.argv[1]}`) {
  const cluster = await startCluster();
  console.log(cluster.url);
  const stop = () => {
    cluster.stop();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  setInterval(() => {}, 1 << 30);
}
