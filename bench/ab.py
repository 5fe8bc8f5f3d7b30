#!/usr/bin/env python3
"""Interleaved timing of whole commands, for comparing builds on a shared, noisy machine.

    python3 bench/ab.py [--seconds] RUNS 'COMMAND A' 'COMMAND B' ...

Runs A, B, ... in turn, RUNS times over (after one round of warm-up), and prints each
command's median wall time and median CPU time (user + system, all threads); with
`--seconds`, only the median wall times in seconds, one per line (for scripts). Interleaving
matters here: the load of other work on the machine drifts over seconds, so timing every run of
A and then every run of B (as hyperfine does) can show a difference that is only the drift.
Output of the commands is discarded.
"""
import os
import shlex
import statistics
import subprocess
import sys
import time


def main() -> int:
    args = sys.argv[1:]
    seconds = args[:1] == ["--seconds"]
    if seconds:
        args = args[1:]
    if len(args) < 2 or not args[0].isdigit() or int(args[0]) < 1:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    runs = int(args[0])
    texts = args[1:]
    commands = [shlex.split(c) for c in texts]
    walls = [[] for _ in commands]
    cpus = [[] for _ in commands]
    with open(os.devnull, "wb") as devnull:
        for round_ in range(runs + 1):
            for i, command in enumerate(commands):
                start = time.perf_counter()
                process = subprocess.Popen(command, stdout=devnull, stderr=devnull)
                _, status, usage = os.wait4(process.pid, 0)
                wall = time.perf_counter() - start
                if status != 0:
                    code = os.waitstatus_to_exitcode(status)
                    print(f"failed (exit {code}): {texts[i]}", file=sys.stderr)
                    return 1
                if round_ > 0:
                    walls[i].append(wall)
                    cpus[i].append(usage.ru_utime + usage.ru_stime)
    for i, text in enumerate(texts):
        if seconds:
            print(statistics.median(walls[i]))
            continue
        wall = statistics.median(walls[i]) * 1000
        cpu = statistics.median(cpus[i]) * 1000
        print(f"{wall:8.1f} ms wall {cpu:8.1f} ms cpu  {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
