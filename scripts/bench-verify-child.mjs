// The verification figure's child process: verifies one ledger file with the BUILT library (dist,
// as the CLI runs it, without the TypeScript loader the bench itself needs), and prints one JSON
// line with its time, CPU and peak memory. Run by scripts/bench.ts; `pnpm bench` builds first.
import { readFileSync } from 'node:fs';
import { verifyLedger } from '../packages/ledger/dist/index.js';

const procStatusKb = (field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? NaN);
const round = (x, digits) => Math.round(x * 10 ** digits) / 10 ** digits;

const path = process.argv[2];
const rssBeforeKb = procStatusKb('VmRSS');
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const report = await verifyLedger(path);
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const maxRssKb = process.resourceUsage().maxRSS;
const vmHwmKb = procStatusKb('VmHWM');
const memoryAtEndMb = Object.fromEntries(Object.entries(process.memoryUsage()).map(([k, v]) => [k, round(v / 2 ** 20, 1)]));
// Only after the peak is read: how much of the main heap is held rather than garbage (--expose-gc).
globalThis.gc?.();
process.stdout.write(
  `${JSON.stringify({
    ms,
    ok: report.ok,
    size: report.size,
    failureCount: report.failureCount,
    failures: report.failures.slice(0, 3),
    maxRssKb,
    vmHwmKb,
    rssBeforeKb,
    cpuMs: (cpu.user + cpu.system) / 1000,
    memoryAtEndMb,
    heapRetainedMb: globalThis.gc === undefined ? null : round(process.memoryUsage().heapUsed / 2 ** 20, 1),
  })}\n`,
);
