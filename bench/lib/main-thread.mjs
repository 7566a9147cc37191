// Watching a page's main thread (browser-side, imported by the Chromium
// benches from /bench/lib/main-thread.mjs).

/**
 * Starts a MessageChannel heartbeat: a tick is queued as soon as the last
 * one ran, so the longest gap between two ticks is the longest the main
 * thread was busy with anything else. Returns `stop()` → that gap in ms.
 */
export function heartbeat() {
  const ch = new MessageChannel();
  let last = performance.now();
  let max = 0;
  let on = true;
  ch.port1.onmessage = () => {
    const now = performance.now();
    max = Math.max(max, now - last);
    last = now;
    if (on) ch.port2.postMessage(0);
  };
  ch.port2.postMessage(0);
  return () => {
    on = false;
    ch.port1.close();
    return Math.max(max, performance.now() - last);
  };
}

/**
 * Collects "longtask" entries (tasks of 50 ms or more) into `durations`;
 * `supported` is false where the browser has none.
 */
export function longTasks() {
  const durations = [];
  const supported = typeof PerformanceObserver === "function" && Boolean(PerformanceObserver.supportedEntryTypes?.includes("longtask"));
  const obs = supported ? new PerformanceObserver((l) => durations.push(...l.getEntries().map((e) => e.duration))) : null;
  obs?.observe({ entryTypes: ["longtask"] });
  return { durations, supported, disconnect: () => obs?.disconnect() };
}
