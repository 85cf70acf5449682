/*
 * Load measurement shared by the benchmarks: nginx serving given bytes from
 * a file on a loopback port (the physical limit our responses are compared
 * with, in the same run), wrk, and a median timer.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../scripts/pg-cluster.ts";

/** Creates the named databases on a cluster; returns each one's URL by name. */
export async function createDatabases(clusterUrl: string, names: string[]): Promise<(name: string) => string> {
  const { default: pg } = await import("pg");
  const admin = new pg.Client({ connectionString: clusterUrl });
  await admin.connect();
  try {
    for (const name of names) await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  return (name) => Object.assign(new URL(clusterUrl), { pathname: `/${name}` }).toString();
}

export async function startNginx(files: Record<string, { body: string | Buffer; type: string }>) {
  if (!existsSync("/usr/sbin/nginx")) throw new Error("nginx is not installed (apt-get install -y nginx)");
  const dir = mkdtempSync(join(tmpdir(), "candor-nginx-"));
  const port = await freePort();
  const locations = Object.entries(files).map(([path, file], i) => {
    writeFileSync(join(dir, `f${i}`), file.body);
    return `location = ${path} { default_type "${file.type}"; alias ${dir}/f${i}; }`;
  });
  writeFileSync(
    join(dir, "nginx.conf"),
    `worker_processes 1; daemon off; pid ${dir}/nginx.pid; error_log ${dir}/error.log;
events { worker_connections 1024; }
http { access_log off; sendfile on; keepalive_requests 100000;
  client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir}; uwsgi_temp_path ${dir}; scgi_temp_path ${dir};
  server { listen 127.0.0.1:${port}; ${locations.join(" ")} } }`,
  );
  const child = spawn("/usr/sbin/nginx", ["-c", join(dir, "nginx.conf"), "-p", dir], { stdio: "ignore" });
  for (let i = 0; i < 50; i++) {
    try {
      await fetch(`http://127.0.0.1:${port}/`);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url: `http://127.0.0.1:${port}`,
    stop() {
      child.kill("SIGTERM");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface LoadResult {
  requestsPerSecond: number;
  p99Ms: number;
  non2xx: number;
}

/** wrk: 10 s, 10 connections, 2 threads, loopback; p99 from --latency. */
export function wrk(url: string, seconds = 10, connections = 10, headers: string[] = []): LoadResult {
  const extra = headers.flatMap((h) => ["-H", h]);
  return parseWrk(execFileSync("wrk", ["-t2", `-c${connections}`, `-d${seconds}s`, "--latency", ...extra, url], { encoding: "utf8" }));
}

/** What wrk --latency printed. */
export function parseWrk(out: string): LoadResult {
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0);
  const p99 = /99%\s+([\d.]+)(us|ms|s)/.exec(out);
  const factor = p99?.[2] === "us" ? 0.001 : p99?.[2] === "s" ? 1000 : 1;
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  return { requestsPerSecond: rps, p99Ms: p99 ? Number(p99[1]) * factor : NaN, non2xx };
}

/** Median wall time of `runs` sequential calls, in ms. */
export async function median(fn: () => Promise<unknown>, runs = 15): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
}
