// Runs one benchmark module on its own (`node bench/access-log-bench.mjs`), as bench/run.mjs would
// run it with the others: its lines, then its checks and goals, exit 1 when a check failed.

/** `bench({ say, goal, check })` → the report on stdout. */
export function runStandalone(bench) {
  const lines = [];
  const checks = [];
  const goals = [];
  const say = (s = '') => lines.push(s);
  const check = (name, ok, detail) => checks.push({ name, ok, detail });
  const goal = (name, value, shown, target, met) => goals.push({ name, value, shown, target, status: met === null ? 'SKIPPED' : met ? 'MET' : 'NOT MET' });
  const started = Date.now();
  bench({ say, goal, check })
    .then(() => {
      say();
      say('CHECKS');
      for (const c of checks) say(`  ${c.ok ? 'ok    ' : 'FAILED'}  ${c.name}${c.ok ? '' : `: ${c.detail}`}`);
      say();
      say('GOALS');
      for (const g of goals) say(`  ${g.status.padEnd(8)} ${g.name.padEnd(48)} ${String(g.shown).padStart(10)}   goal ${g.target}`);
      say();
      say(`Total ${Math.round((Date.now() - started) / 1000)} s.`);
      console.log(lines.join('\n'));
      if (checks.some((c) => !c.ok)) process.exitCode = 1;
    })
    .catch((err) => {
      console.error(err);
      process.exitCode = 1;
    });
}
