// Preloaded into the benchmarked command (node --require): prints its peak resident memory on exit.
"use strict";
process.on("exit", () => {
  process.stderr.write(`peak-rss-kb ${process.resourceUsage().maxRSS}\n`);
});
