#!/usr/bin/env python3
"""Runs a command and prints its wall time (s) and the peak RSS (MiB) of the process it ran.
Usage: measure.py COMMAND [ARGS...]  → prints "wall_s rss_mib exit_code" on stdout."""
import resource, subprocess, sys, time

start = time.monotonic()
code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)
wall = time.monotonic() - start
rss_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print("%.3f %.1f %d" % (wall, rss_kib / 1024, code))
