#!/usr/bin/env python3
"""Runs a command and prints its wall time (s), the peak RSS (MiB) of the process it ran, its exit
code and the CPU time (user + system, s) it used.
Usage: measure.py COMMAND [ARGS...]  → prints "wall_s rss_mib exit_code cpu_s" on stdout."""
import resource, subprocess, sys, time

start = time.monotonic()
code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)
wall = time.monotonic() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print("%.3f %.1f %d %.3f" % (wall, usage.ru_maxrss / 1024, code, usage.ru_utime + usage.ru_stime))
