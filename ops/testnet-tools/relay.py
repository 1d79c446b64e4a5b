#!/usr/bin/env python3
"""A TCP relay that adds a fixed one-way delay to each of its links, for ops/testnet.

This kernel has no `netem`, so latency between validators comes from here: the dialing validator's configuration
names a relay in its own network namespace as the peer's address, and the relay forwards every byte to the real
peer, each chunk (in both directions) held back by the link's delay, in order. The bytes are opaque: mutual TLS and
the peers' signed handshake pass through untouched.

    relay.py --link 10.118.0.11:7902=10.118.0.13:7800@32 [--link …] [--off]

SIGUSR1 turns the delays on, SIGUSR2 off (0 ms); `--off` starts with them off. A link whose target is unreachable
(the link cut) closes the incoming connection, as a dead route would, and the dialer retries.
"""

import argparse
import asyncio
import signal
import sys
import time

CHUNK = 64 * 1024
# What one direction of a connection may hold undelivered before the relay stops reading from it (TCP pushes back).
MAX_QUEUED_BYTES = 8 * 1024 * 1024


class Delays:
    """Whether the links' delays apply now; flipped by signals."""

    def __init__(self, on):
        self.on = on


def parse_link(text):
    try:
        listen, rest = text.split("=", 1)
        target, millis = rest.rsplit("@", 1)
        listen_host, listen_port = listen.rsplit(":", 1)
        target_host, target_port = target.rsplit(":", 1)
        return (listen_host, int(listen_port)), (target_host, int(target_port)), int(millis) / 1000.0
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected LISTEN_HOST:PORT=TARGET_HOST:PORT@MILLIS, got {text}")


async def pump(reader, writer, delay, delays):
    """Copies reader to writer, delivering each chunk `delay` seconds after it arrived (when delays are on)."""
    queue = asyncio.Queue()
    queued = [0]
    room = asyncio.Event()
    room.set()

    async def deliver():
        while True:
            due, data = await queue.get()
            if data is None:
                break
            wait = due - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            writer.write(data)
            await writer.drain()
            queued[0] -= len(data)
            if queued[0] <= MAX_QUEUED_BYTES:
                room.set()

    sender = asyncio.create_task(deliver())
    try:
        while True:
            data = await reader.read(CHUNK)
            if not data:
                break
            await room.wait()
            queued[0] += len(data)
            if queued[0] > MAX_QUEUED_BYTES:
                room.clear()
            queue.put_nowait((time.monotonic() + (delay if delays.on else 0.0), data))
        queue.put_nowait((0.0, None))
        await sender
    except (ConnectionError, OSError):
        pass
    finally:
        sender.cancel()
        try:
            writer.close()
        except (ConnectionError, OSError):
            pass


async def serve_link(listen, target, delay, delays):
    async def handle(down_reader, down_writer):
        try:
            up_reader, up_writer = await asyncio.wait_for(asyncio.open_connection(*target), timeout=3)
        except (OSError, asyncio.TimeoutError):
            down_writer.close()
            return
        try:
            await asyncio.gather(
                pump(down_reader, up_writer, delay, delays), pump(up_reader, down_writer, delay, delays),
                return_exceptions=True)
        except asyncio.CancelledError:
            # The relay is stopping: its connections end with it.
            for writer in (up_writer, down_writer):
                writer.close()

    server = await asyncio.start_server(handle, listen[0], listen[1], reuse_address=True)
    print(f"relay {listen[0]}:{listen[1]} -> {target[0]}:{target[1]}, {int(delay * 1000)} ms each way",
          file=sys.stderr, flush=True)
    return server


async def main():
    parser = argparse.ArgumentParser(description="TCP relay with a fixed delay per link")
    parser.add_argument("--link", action="append", type=parse_link, required=True)
    parser.add_argument("--off", action="store_true", help="start with the delays off (SIGUSR1 turns them on)")
    arguments = parser.parse_args()
    delays = Delays(on=not arguments.off)
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()

    def set_delays(on):
        delays.on = on
        print(f"relay: delays {'on' if on else 'off'}", file=sys.stderr, flush=True)

    loop.add_signal_handler(signal.SIGUSR1, set_delays, True)
    loop.add_signal_handler(signal.SIGUSR2, set_delays, False)
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    servers = [await serve_link(listen, target, delay, delays) for listen, target, delay in arguments.link]
    await stop.wait()
    for server in servers:
        server.close()


if __name__ == "__main__":
    asyncio.run(main())
