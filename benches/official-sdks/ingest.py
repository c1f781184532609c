"""Event ingest with Intercom's official Python SDK (python-intercom 5.x), for
benches/official-sdks/run.sh: `AsyncIntercom` and one task per event, at most C of them posting at
once (an asyncio.Semaphore of C), each `await client.events.create(..)`. Prints the same RESULT
line as `benches/ingest.rs --only`.

    python ingest.py --base-url http://127.0.0.1:PORT --events 5000 --concurrency 16 \\
        --users 500 --name run-7 [--warmup 500]
"""

import argparse
import asyncio
import resource
import time

import httpx
from intercom import AsyncIntercom, CreateDataEventRequestWithUserId

FIRST_SECOND = 1_700_000_000
TOKEN = "dummy-access-token"


def peak_rss_kib() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def run(client: AsyncIntercom, name: str, count: int, concurrency: int, users: int) -> None:
    semaphore = asyncio.Semaphore(concurrency)

    async def post(i: int) -> None:
        # Event i: user (i mod users) + 1, one second later every `users` events (as ingest.rs).
        request = CreateDataEventRequestWithUserId(
            event_name=name,
            created_at=FIRST_SECOND + i // users,
            user_id=str(i % users + 1),
            metadata={"source": "benchmark"},
        )
        async with semaphore:
            # Raises on any answer but 2xx.
            await client.events.create(request=request)

    await asyncio.gather(*(post(i) for i in range(count)))


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--users", type=int, default=500)
    parser.add_argument("--name", default=None)
    parser.add_argument("--warmup", type=int, default=None)
    args = parser.parse_args()
    name = args.name or f"python-{id(args)}"
    warmup = min(args.events, 500) if args.warmup is None else args.warmup

    # The SDK's own default client is httpx.AsyncClient(timeout=60, follow_redirects=True), whose
    # pool keeps at most 20 idle connections; at concurrency 64 that closes and reopens
    # connections all the time. The SDK takes an httpx client of one's own (`httpx_client=`), so
    # its best form gets a pool as large as the concurrency. Retries: the SDK's default is none.
    limits = httpx.Limits(max_connections=args.concurrency, max_keepalive_connections=args.concurrency)
    http = httpx.AsyncClient(timeout=60, follow_redirects=True, limits=limits)
    client = AsyncIntercom(token=TOKEN, base_url=args.base_url, httpx_client=http)

    if warmup > 0:
        await run(client, f"{name}-warmup", warmup, args.concurrency, args.users)
    cpu_before = cpu_seconds()
    started = time.perf_counter()
    await run(client, name, args.events, args.concurrency, args.users)
    seconds = time.perf_counter() - started
    cpu = cpu_seconds() - cpu_before
    await http.aclose()
    print(
        f"python: {args.events} events at concurrency {args.concurrency}, wall {seconds * 1000:.0f} ms, "
        f"client CPU {cpu * 1e6 / args.events:.1f} µs/event"
    )
    print(
        f"RESULT side=python events={args.events} concurrency={args.concurrency} seconds={seconds:.6f} "
        f"cpu_seconds={cpu:.6f} peak_rss_kib={peak_rss_kib()}"
    )


if __name__ == "__main__":
    asyncio.run(main())
