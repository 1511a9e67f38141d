#!/usr/bin/env python3
"""Writes N CityHeaven-style listing pages of M casts each under ROOT. Usage: bench_pages.py ROOT N M"""
import os, sys

root, n, m = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
statuses = ["待機中", "接客中", "受付終了", "お休み", "18:00~24:00"]
os.makedirs(root, exist_ok=True)
for b in range(n):
    items = "".join(
        '<li class="girl" data-girl-id="%d"><a href="/shop/girlid-%d/"><p class="girl_name">キャスト%d</p></a>'
        '<div class="shukkin"><span class="shukkin_status">%s</span></div></li>' % (c, c, c, statuses[(b + c) % 5])
        for c in range(m))
    with open(os.path.join(root, "b%d.html" % b), "w", encoding="utf-8") as f:
        f.write('<html><head><meta charset="utf-8"></head><body><ul class="girllist">%s</ul></body></html>' % items)
