// One client of the send benchmark in a process of its own, driven turn by turn by send-bench.ts:
//
//   node out/bench/send-client-process.js      (forked by send-bench.ts)
//
// A process per client so that no client pays for another's garbage, timers or hooks (our send()
// keeps a timeout timer per request and listens on undici's diagnostics channels; axios has its own interceptors), and
// so that process.cpuUsage() is the CPU of that client alone.
//
// Protocol (IPC; the key never goes on a command line): the first message is a ClientSetup, answered
// with { ready: true }; each TurnRequest then runs that many requests and is answered with a
// TurnResult; 'exit' closes its connections and ends the process.

import { performance } from 'node:perf_hooks';
import { closeConnections } from '../src/core/send';
import { drive, makeClient, Tally, type ClientName, type Scenario, type SendOne, type Target } from './send-clients';

export interface ClientSetup {
  client: ClientName;
  scenario: Scenario;
  target: Target;
}

export interface TurnRequest {
  requests: number;
  concurrency: number;
}

export interface TurnResult {
  requests: number;
  seconds: number;
  /** User + system CPU time of this process during the turn, in microseconds. */
  cpuMicros: number;
  /** Responses other than 200 and transport errors in this turn. */
  failures: number;
  failureSamples: string[];
}

let sendOne: SendOne | undefined;

process.on('message', (message: ClientSetup | TurnRequest | 'exit') => {
  if (message === 'exit') {
    void closeConnections().finally(() => process.exit(0));
    return;
  }
  if ('client' in message) {
    sendOne = makeClient(message.client, message.scenario, message.target);
    process.send?.({ ready: true });
    return;
  }
  const turn = message;
  void (async () => {
    const tally = new Tally();
    const cpu = process.cpuUsage();
    const start = performance.now();
    await drive(sendOne!, turn.requests, turn.concurrency, tally);
    const seconds = (performance.now() - start) / 1000;
    const used = process.cpuUsage(cpu);
    const result: TurnResult = { requests: turn.requests, seconds, cpuMicros: used.user + used.system, failures: tally.failures, failureSamples: tally.samples };
    process.send?.(result);
  })();
});
process.on('disconnect', () => process.exit(0));
