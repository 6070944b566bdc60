// `pnpm bench`: token micro benchmarks, the Python secure-token path and an HTTP benchmark, as
// markdown tables (or one JSON document with --json). Flags: --quick (fewer, shorter samples),
// --no-http, --no-python, --http-only. Never part of `pnpm test`: figures are ratios for a person.
import { spawn, spawnSync, type ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import type { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { SecureTokenManager } from '@securetoken/core';
import jsonwebtoken from 'jsonwebtoken';
import type { BenchResult } from './harness.ts';
import { median } from './harness.ts';
import { CLAIMS, HTTP_CASES, JWT_SECRET, SALT, SECRET, type HttpCase } from './setup.ts';

const args = new Set(process.argv.slice(2));
const asJson = args.has('--json');
const quick = args.has('--quick');
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const log = (message: string) => process.stderr.write(`${message}\n`);

// One core runs what is measured (micro benchmarks, Python, the HTTP server); the other drives
// the load. Without taskset or with one core, nothing is pinned and the first output line says so.
const taskset = spawnSync('taskset', ['-c', '0', 'true']).status === 0;
const cores = availableParallelism();
const twoCores = cores >= 2;
const pinned = (core: number, command: string, commandArgs: string[]): [string, string[]] =>
  taskset ? ['taskset', ['-c', String(core), command, ...commandArgs]] : [command, commandArgs];
if (taskset && twoCores) spawnSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)]);

function output(command: [string, string[]]): Promise<string> {
  const child = spawn(command[0], command[1], { stdio: ['ignore', 'pipe', 'inherit'] });
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(text) : reject(new Error(`${command[1].join(' ')} exited with ${code}`))));
  });
}

const nodeArgs = ['--expose-gc', '--import', 'tsx'];

interface Row extends BenchResult {
  readonly kind: 'generate' | 'validate' | 'validate (cache)';
}

const KIND: Record<string, Row['kind']> = {
  generate: 'generate', sign: 'generate', encode: 'generate', encrypt: 'generate', 'AES-CBC + HMAC': 'generate',
  validate: 'validate', verify: 'validate', decode: 'validate', decrypt: 'validate', 'HMAC + AES-CBC': 'validate',
  'validate (cache)': 'validate (cache)', 'verify (cache)': 'validate (cache)',
};

async function micro(): Promise<Row[]> {
  log('token operations (and the Python path): interleaved samples on one core...');
  const text = await output(pinned(0, process.execPath, [...nodeArgs, here('./micro.ts'), ...(quick ? ['--quick'] : []), ...(args.has('--no-python') ? ['--no-python'] : [])]));
  return (JSON.parse(text) as BenchResult[]).map((result) => ({ ...result, kind: KIND[result.operation] ?? 'validate' }));
}

interface HttpRow {
  readonly server: HttpCase;
  readonly requestsPerSecond: number;
  readonly samples: readonly number[];
  readonly failures: number;
  /** Server CPU time per request (user + system), in µs: robust to other load on the machine. */
  readonly cpuMicrosPerRequest: number;
}

// utime + stime of a process in clock ticks (Linux); NaN elsewhere.
function cpuTicks(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return Number.NaN;
  }
}
const TICK_MICROS = 1e6 / (Number(spawnSync('getconf', ['CLK_TCK']).stdout?.toString().trim()) || 100);

async function http(ourToken: string, jwt: string): Promise<HttpRow[]> {
  if (args.has('--no-http')) return [];
  const duration = quick ? 1 : 2;
  const rounds = quick ? 1 : 3;
  log(`HTTP: ${HTTP_CASES.length} servers, autocannon ${rounds} x ${duration} s each...`);
  const servers: { kind: HttpCase; port: number; child: ChildProcessByStdio<null, Readable, null> }[] = [];
  try {
    for (const kind of HTTP_CASES) {
      const [command, commandArgs] = pinned(0, process.execPath, ['--import', 'tsx', here('./http-server.ts'), kind]);
      const child = spawn(command, commandArgs, { stdio: ['ignore', 'pipe', 'inherit'] });
      const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
      servers.push({ kind, port: (JSON.parse(line) as { port: number }).port, child });
    }
    const load = (server: (typeof servers)[number], seconds: number) =>
      autocannon({
        url: `http://127.0.0.1:${server.port}/profile`,
        connections: 16,
        duration: seconds,
        // Bare routes get the same request (header included) and ignore it.
        headers: { authorization: `Bearer ${server.kind.includes('jwt') ? jwt : ourToken}` },
      });
    // Warm-up: the first second of a fresh process is JIT compilation, not steady state.
    for (const server of servers) await load(server, 1);
    const samples = servers.map(() => [] as number[]);
    const failures = servers.map(() => 0);
    const cpu = servers.map(() => ({ ticks: 0, requests: 0 }));
    for (let round = 0; round < rounds; round++) {
      for (let k = 0; k < servers.length; k++) {
        const i = (k + round) % servers.length;
        const server = servers[i] as (typeof servers)[number];
        const before = cpuTicks(server.child.pid);
        const result = await load(server, duration);
        const usage = cpu[i] as { ticks: number; requests: number };
        usage.ticks += cpuTicks(server.child.pid) - before;
        usage.requests += result.requests.total;
        (samples[i] as number[]).push(result.requests.average);
        failures[i] = (failures[i] as number) + result.non2xx + result.errors + result.timeouts;
      }
    }
    return servers.map((server, i) => ({
      server: server.kind,
      requestsPerSecond: median(samples[i] as number[]),
      samples: samples[i] as number[],
      failures: failures[i] as number,
      cpuMicrosPerRequest: ((cpu[i]?.ticks ?? Number.NaN) * TICK_MICROS) / (cpu[i]?.requests ?? 1),
    }));
  } finally {
    for (const server of servers) server.child.kill();
  }
}

const manager = new SecureTokenManager({ secretKey: SECRET, salt: SALT });
const ourToken = manager.generateToken(CLAIMS);
const jwt = jsonwebtoken.sign({ sub: CLAIMS.userId, permissions: CLAIMS.permissions }, JWT_SECRET, { algorithm: 'HS256', expiresIn: '24h' });

const started = Date.now();
const load = loadavg()[0] as number;
const rows = args.has('--http-only') ? [] : await micro();
const httpRows = await http(ourToken, jwt);
const loadAfter = loadavg()[0] as number;

const ours = (kind: Row['kind']) => rows.find((row) => row.library === '@securetoken/core' && row.kind === kind)?.opsPerSecond ?? Number.NaN;
const rate = (library: string, operation: string) => rows.find((row) => row.library === library && row.operation === operation)?.opsPerSecond ?? Number.NaN;
const rps = (server: HttpCase) => httpRows.find((row) => row.server === server)?.requestsPerSecond ?? Number.NaN;

const targets = [
  { target: 'validateToken >= 1.0x fast-jwt verify', ratio: ours('validate') / rate('fast-jwt HS256', 'verify'), need: 1 },
  { target: 'validateToken >= 0.75x crypto floor', ratio: ours('validate') / rate('crypto floor', 'HMAC + AES-CBC'), need: 0.75 },
  { target: 'generateToken >= 1.5x fast-jwt sign', ratio: ours('generate') / rate('fast-jwt HS256', 'sign'), need: 1.5 },
  { target: 'validate (cache) >= 5x fast-jwt verify (cache)', ratio: ours('validate (cache)') / rate('fast-jwt HS256', 'verify (cache)'), need: 5 },
  { target: 'generate >= 4x Python secure-token', ratio: ours('generate') / rate('Python secure-token (cryptography)', 'generate'), need: 4 },
  { target: 'validate >= 4x Python secure-token', ratio: ours('validate') / rate('Python secure-token (cryptography)', 'validate'), need: 4 },
  { target: 'HTTP: @securetoken/fastify >= 85% of bare Fastify', ratio: rps('fastify + @securetoken/fastify') / rps('fastify'), need: 0.85 },
  { target: 'HTTP: @securetoken/fastify > @fastify/jwt', ratio: rps('fastify + @securetoken/fastify') / rps('fastify + @fastify/jwt'), need: 1.0000001 },
].filter((target) => !Number.isNaN(target.ratio)).map((target) => ({ ...target, met: target.ratio >= target.need }));

const machine = {
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  cores,
  pinned: taskset,
  loadAverageBefore: Number(load.toFixed(2)),
  loadAverageAfter: Number(loadAfter.toFixed(2)),
};

if (asJson) {
  process.stdout.write(`${JSON.stringify({ date: new Date(started).toISOString(), machine, operations: rows, http: httpRows, targets })}\n`);
} else {
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const lines = [
    `Node ${machine.node}, ${machine.cores} cores (${machine.cpu}), ${taskset ? 'measured work pinned to core 0 (taskset)' : 'not pinned'}, ` +
      `load average ${machine.loadAverageBefore} before / ${machine.loadAverageAfter} after, ${new Date(started).toISOString()}`,
    '',
    '| library | operation | median ops/s | ours ÷ this | token length |',
    '|---|---|---:|---:|---:|',
    ...rows.map((row) => {
      const ratio = ours(row.kind) / row.opsPerSecond;
      return `| ${row.library} | ${row.operation} | ${fmt(row.opsPerSecond)} | ${ratio.toFixed(2)}x | ${row.tokenLength ?? '—'} |`;
    }),
  ];
  if (httpRows.length > 0) {
    lines.push(
      '',
      '| HTTP server (GET /profile, 16 connections) | median req/s | vs bare framework | server CPU µs/request | failed requests |',
      '|---|---:|---:|---:|---:|',
    );
    for (const row of httpRows) {
      const bare = rps(row.server.startsWith('fastify') ? 'fastify' : 'express');
      lines.push(
        `| ${row.server} | ${fmt(row.requestsPerSecond)} | ${((100 * row.requestsPerSecond) / bare).toFixed(0)}% | ` +
          `${row.cpuMicrosPerRequest.toFixed(1)} | ${row.failures} |`,
      );
    }
  }
  lines.push('', '| target | measured | met |', '|---|---:|:---:|');
  for (const target of targets) lines.push(`| ${target.target} | ${target.ratio.toFixed(2)}x | ${target.met ? 'yes' : 'NO'} |`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
