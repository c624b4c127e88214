// The send benchmark: GET requests to the sandbox store on loopback, sent by three clients doing the
// same job (ours, the official library, bare undici: see send-clients.ts), for two ways of
// authenticating:
//
//   oauth-http   OAuth 1.0a HMAC-SHA256 over plain HTTP (signed anew, fresh nonce, every request)
//   basic-https  the consumer key and secret as HTTP Basic over HTTPS (the sandbox's self-signed
//                certificate trusted as a CA, verification on)
//
// Processes: this coordinator, the sandbox store (sandbox-process.ts) and one process per client
// and scenario (send-client-process.ts). Only one client sends at a time, so on 2 cores the sandbox
// has one core and the client under test the other.
//
// Fairness in time: V8 needs thousands of requests before code is fully optimised (measured on the
// 2-core machine, CPU per request in blocks of 500: ours 1,136 us falling to ~590 us after ~3,500
// requests, the official library 1,849 us to ~620 us after ~3,500; the sandbox alone goes from ~400
// to ~1,900 requests/s over its first 5,000). So each client warms up with `warmup` untimed requests
// (which also warm the sandbox) before its first timed turn of a scenario, and `rewarm` before each
// later concurrency; then the timed requests go in turns of `turn` requests in ABC CBA ABC CBA
// order, so drift of the machine during the run (other programs, the sandbox's heap) is shared out
// evenly among the clients.
//
//   node out/bench/send-bench.js CONFIG_JSON      (see SendBenchConfig; the runner passes it)
// Reports one SendResult per scenario x concurrency x client over IPC.

import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { report } from './measure';
import { CLIENTS, SCENARIOS, type ClientName, type Scenario, type Target } from './send-clients';
import type { ClientSetup, TurnRequest, TurnResult } from './send-client-process';

export interface SendBenchConfig {
  /** The sandbox seed; its first key (read permission) signs the requests. */
  seedFile: string;
  /** Timed requests per client, scenario and concurrency. */
  requests: number;
  /** Timed requests per turn. */
  turn: number;
  /** Untimed requests per client before its first timed turn in a scenario. */
  warmup: number;
  /** Untimed requests per client before its first timed turn at each later concurrency. */
  rewarm: number;
  concurrencies: number[];
}

export interface SendResult {
  kind: 'send';
  scenario: Scenario;
  client: ClientName;
  concurrency: number;
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  /** Requests per second of each turn (a feel for the noise). */
  turns: number[];
  /** The client process's CPU time per timed request, microseconds. */
  cpuMicrosPerRequest: number;
  /** Responses other than 200 and transport errors, warm-up included. */
  failures: number;
  /** Up to 5 of them, described. */
  failureSamples: string[];
}

/** A child process spoken to over IPC: each ask() gets the next message it sends. */
class Child {
  private readonly inbox: unknown[] = [];
  private waiter: { resolve: (m: unknown) => void; reject: (e: Error) => void } | undefined;
  private readonly exited: Promise<void>;

  constructor(readonly name: string, private readonly proc: ChildProcess) {
    proc.on('message', (m) => {
      const w = this.waiter;
      this.waiter = undefined;
      if (w) w.resolve(m);
      else this.inbox.push(m);
    });
    this.exited = new Promise((resolve) => {
      proc.once('exit', (code, signal) => {
        this.waiter?.reject(new Error(`${name} exited (${signal ?? code}) without answering`));
        this.waiter = undefined;
        resolve();
      });
    });
  }

  /** Sends `message` (when given) and resolves to the child's next message. */
  ask<T>(message?: object): Promise<T> {
    if (message !== undefined) this.proc.send(message);
    if (this.inbox.length > 0) return Promise.resolve(this.inbox.shift() as T);
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return Promise.reject(new Error(`${this.name} has exited`));
    return new Promise<T>((resolve, reject) => {
      this.waiter = { resolve: resolve as (m: unknown) => void, reject };
    });
  }

  /** Asks the child to end with `message` and waits until it has. */
  async stop(message: string): Promise<void> {
    if (this.proc.connected) this.proc.send(message);
    await this.exited;
  }
}

function start(script: string, args: string[]): Child {
  // No inherited Node flags (fork passes the parent's by default): every client runs alike.
  const proc = fork(path.join(__dirname, script), args, { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Child(script, proc);
}

async function main(): Promise<void> {
  const cfg = JSON.parse(process.argv[2] ?? '') as SendBenchConfig;
  const seed = JSON.parse(readFileSync(cfg.seedFile, 'utf8')) as { keys: { consumer_key: string; consumer_secret: string }[] };

  const sandbox = start('sandbox-process.js', [cfg.seedFile]);
  const listening = await sandbox.ask<{ httpUrl: string; httpsUrl: string; certificatePem: string }>();
  const target: Target = { ...listening, consumerKey: seed.keys[0].consumer_key, consumerSecret: seed.keys[0].consumer_secret };

  const clients = new Map<string, Child>();
  const key = (s: Scenario, c: ClientName) => `${s}/${c}`;
  try {
    for (const scenario of SCENARIOS) {
      for (const client of CLIENTS) {
        const child = start('send-client-process.js', []);
        await child.ask({ client, scenario, target } satisfies ClientSetup); // → { ready: true }
        clients.set(key(scenario, client), child);
      }
    }
    const turn = (s: Scenario, c: ClientName, t: TurnRequest) => clients.get(key(s, c))!.ask<TurnResult>(t);

    const turnCount = Math.max(1, Math.round(cfg.requests / cfg.turn));
    const schedule: ClientName[] = [];
    for (let t = 0; t < turnCount; t++) schedule.push(...(t % 2 === 0 ? CLIENTS : [...CLIENTS].reverse()));

    for (const scenario of SCENARIOS) {
      for (const [level, concurrency] of cfg.concurrencies.entries()) {
        const turns = new Map<ClientName, TurnResult[]>(CLIENTS.map((c) => [c, []]));
        const failures = new Map<ClientName, { count: number; samples: string[] }>(CLIENTS.map((c) => [c, { count: 0, samples: [] }]));
        const tally = (c: ClientName, r: TurnResult) => {
          const f = failures.get(c)!;
          f.count += r.failures;
          f.samples.push(...r.failureSamples.slice(0, 5 - f.samples.length));
        };
        // Warm-up failures count: a client that fails while warming up is broken.
        for (const c of CLIENTS) tally(c, await turn(scenario, c, { requests: level === 0 ? cfg.warmup : cfg.rewarm, concurrency }));
        for (const c of schedule) {
          const r = await turn(scenario, c, { requests: cfg.turn, concurrency });
          turns.get(c)!.push(r);
          tally(c, r);
        }
        for (const c of CLIENTS) {
          const rs = turns.get(c)!;
          const requests = rs.reduce((a, r) => a + r.requests, 0);
          const seconds = rs.reduce((a, r) => a + r.seconds, 0);
          const result: SendResult = {
            kind: 'send',
            scenario,
            client: c,
            concurrency,
            requests,
            seconds,
            requestsPerSecond: requests / seconds,
            turns: rs.map((r) => r.requests / r.seconds),
            cpuMicrosPerRequest: rs.reduce((a, r) => a + r.cpuMicros, 0) / requests,
            failures: failures.get(c)!.count,
            failureSamples: failures.get(c)!.samples,
          };
          await report(result);
        }
      }
    }
  } finally {
    await Promise.all([...clients.values()].map((c) => c.stop('exit')));
    await sandbox.stop('stop');
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
