/** Whether a process of this machine still runs: what tells a killed build's leftovers (lock, staging, secrets) from a live build's. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
