#!/usr/bin/env node
// The custody command. The code is in ../dist (built by `tsc -b` from ../src).
import { main } from '../dist/main.js';

// A reader that stops early (`custody log | head`) closes the pipe: that is not an error of ours.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

process.exitCode = await main(process.argv.slice(2));
