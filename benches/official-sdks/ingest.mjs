// Event ingest with Intercom's official Node SDK (intercom-client 7.x), for
// benches/official-sdks/run.sh: a pool of C promises, each posting the next event with
// `client.events.create(..)` until all are sent. Prints the same RESULT line as
// `benches/ingest.rs --only`.
//
//   node ingest.mjs --base-url http://127.0.0.1:PORT --events 5000 --concurrency 16 \
//       --users 500 --name run-7 [--warmup 500]
//
// run.sh copies this file next to the installed package (ES modules resolve packages from the
// importing file's folder, not from NODE_PATH).
import { readFileSync } from "node:fs";
import { IntercomClient } from "intercom-client";

const FIRST_SECOND = 1_700_000_000;
const TOKEN = "dummy-access-token";

function option(name, fallback) {
    const i = process.argv.indexOf(`--${name}`);
    if (i < 0) {
        if (fallback === undefined) throw new Error(`--${name} is required`);
        return fallback;
    }
    return process.argv[i + 1];
}

const baseUrl = option("base-url");
const events = Number(option("events", "5000"));
const concurrency = Number(option("concurrency", "16"));
const users = Number(option("users", "500"));
const name = option("name", `node-${process.pid}`);
const warmup = Number(option("warmup", String(Math.min(events, 500))));

// Retries off (the SDK's default is 2 retries on 408, 429 and 5xx; none of those happen here, so
// this only removes bookkeeping). The rest is the SDK's defaults: Node's global fetch (undici),
// which keeps connections alive and opens as many per origin as there are requests in flight.
const client = new IntercomClient({ token: TOKEN, baseUrl, maxRetries: 0 });

// Event i: user (i mod users) + 1, one second later every `users` events (same as ingest.rs).
function event(eventName, i) {
    return {
        event_name: eventName,
        created_at: FIRST_SECOND + Math.floor(i / users),
        user_id: String((i % users) + 1),
        metadata: { source: "benchmark" },
    };
}

async function run(eventName, count) {
    let next = 0;
    let accepted = 0;
    async function worker() {
        while (next < count) {
            const i = next++;
            // Throws (and so ends the process non-zero) on any answer but 2xx.
            await client.events.create(event(eventName, i));
            accepted++;
        }
    }
    await Promise.all(Array.from({ length: concurrency }, worker));
    if (accepted !== count) throw new Error(`${accepted} of ${count} accepted`);
}

function peakRssKib() {
    const status = readFileSync("/proc/self/status", "utf8");
    const line = status.split("\n").find((l) => l.startsWith("VmHWM:"));
    return line ? Number(line.split(/\s+/)[1]) : 0;
}

if (warmup > 0) await run(`${name}-warmup`, warmup);
const cpuBefore = process.cpuUsage();
const started = process.hrtime.bigint();
await run(name, events);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const cpu = process.cpuUsage(cpuBefore);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
console.log(
    `node: ${events} events at concurrency ${concurrency}, wall ${(seconds * 1000).toFixed(0)} ms, ` +
        `client CPU ${((cpuSeconds * 1e6) / events).toFixed(1)} µs/event`,
);
console.log(
    `RESULT side=node events=${events} concurrency=${concurrency} seconds=${seconds.toFixed(6)} ` +
        `cpu_seconds=${cpuSeconds.toFixed(6)} peak_rss_kib=${peakRssKib()}`,
);
