/**
 * How a stand-in harness of the orphan tests ends once its lab is up: `exit` stops the lab
 * and exits, `throw` crashes with an uncaught error while the lab runs, anything else waits
 * (until the test signals or SIGKILLs it).
 */
export async function endHeldLab(mode: string, lab: { stop(): Promise<void> }): Promise<void> {
  if (mode === 'exit') {
    await lab.stop();
  } else if (mode === 'throw') {
    setTimeout(() => {
      throw new Error('harness crashed on purpose');
    }, 100);
  } else {
    setInterval(() => undefined, 1000);
  }
}
