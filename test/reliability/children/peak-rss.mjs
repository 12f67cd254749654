// Preloaded into a CLI run (node --import) by the hostile-file suite: when the process exits, writes
// its peak resident set (VmHWM, in kB) to the file named by PEAK_RSS_FILE.
import { readFileSync, writeFileSync } from 'node:fs';

process.on('exit', () => {
  const kb = /VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  if (process.env['PEAK_RSS_FILE']) writeFileSync(process.env['PEAK_RSS_FILE'], `${kb ?? ''}\n`);
});
