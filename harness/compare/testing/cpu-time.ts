/**
 * CPU milliseconds a function takes (user + system of this process). Speed tests assert on
 * CPU time, not wall time: the test machine is shared, and wall time there says more about
 * the neighbours than about the algorithm.
 */
export function cpuTimeOf<T>(run: () => T): { result: T; cpuMs: number } {
  const before = process.cpuUsage();
  const result = run();
  const used = process.cpuUsage(before);
  return { result, cpuMs: (used.user + used.system) / 1000 };
}
