// Preloaded into a benchmarked child process (node --import): at exit, writes its own CPU time
// and peak memory to HOTPAPERS_BENCH_USAGE, so the figure is the whole process's.
import { writeFileSync } from 'node:fs';

const file = process.env.HOTPAPERS_BENCH_USAGE;
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(
      file,
      JSON.stringify({ cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, maxRssMb: u.maxRSS / 1024 }),
    );
  });
}
