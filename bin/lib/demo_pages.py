#!/usr/bin/env python3
"""Writes the demo businesses' listing pages as they look at one moment of a simulated day.

Usage: demo_pages.py ROOT ISO_LOCAL_TIME   (e.g. 2026-11-23T21:30, Asia/Tokyo)
Each cast has a fixed shift; before it the page says when it starts, during it the cast is
free or with a customer (a deterministic pattern), after it the shift is over. Some are off.
"""
import hashlib, os, sys
from datetime import datetime, timedelta

NAMES = ["あいり", "みく", "ゆい", "さくら", "れな", "はな", "まい", "りこ", "ひな", "えま", "のあ", "ゆな",
         "かれん", "まりあ", "すず", "ここ", "みお", "るな", "あおい", "ちひろ", "なな", "しほ", "もえ", "あんな"]

# name, site, directory, encoding, opening day start (hours from midnight), casts, shifts span
BUSINESSES = [
    ("aurora", "cityheaven", "utf-8", 18, 18, 11),   # 18:00–05:00 overnight, two pages
    ("sakura", "dto", "utf-8", 11, 8, 12),          # 11:00–23:00
    ("hana", "cityheaven", "shift_jis", 19, 10, 8),  # 19:00–03:00, Shift_JIS
    ("yoru", "yoru-navi", "euc-jp", 20, 6, 9),       # 20:00–05:00, EUC-JP, a site defined in a file
]


def h(*parts):
    return int(hashlib.sha256("/".join(map(str, parts)).encode()).hexdigest(), 16)


def cast_status(business, index, start_hour, span, now, day0):
    if h(business, index, "off", day0.date()) % 7 == 0:
        return "off"
    shift_start = day0 + timedelta(hours=start_hour + (index % 3))
    shift_end = shift_start + timedelta(hours=4 + h(business, index, "len") % (span - 3))
    if now < shift_start:
        return ("scheduled", shift_start)
    if now >= shift_end:
        return "finished"
    return "busy" if h(business, index, now.isoformat()) % 3 == 0 else "available"


def label(site, status):
    if isinstance(status, tuple):
        t = status[1].strftime("%H:%M")
        return {"cityheaven": t + "~", "dto": t + "~", "yoru-navi": "%d時から" % status[1].hour}[site]
    return {
        "cityheaven": {"available": "待機中", "busy": "接客中", "finished": "受付終了", "off": "お休み"},
        "dto": {"available": "即ご案内OK", "busy": "接客中", "finished": "本日終了", "off": "お休み"},
        "yoru-navi": {"available": "待機", "busy": "接客", "finished": "終了", "off": "休"},
    }[site][status]


def page(site, casts, encoding, next_href):
    meta = '<meta charset="%s">' % encoding
    if site == "cityheaven":
        items = "".join('<li class="girl" data-girl-id="%s"><a href="/shop/girlid-%s/"><p class="girl_name">%s</p></a>'
                        '<div class="shukkin"><span class="shukkin_status">%s</span></div></li>' % (i, i, n, s)
                        for i, n, s in casts)
        pager = '<div class="pager"><a rel="next" href="%s">次へ</a></div>' % next_href if next_href else ""
        return '<html><head>%s</head><body><ul class="girllist">%s</ul>%s</body></html>' % (meta, items, pager)
    if site == "dto":
        items = "".join('<div class="cast-box" id="cast_%s"><h3 class="cast-name">%s</h3><span class="cast-state">%s</span></div>'
                        % (i, n, s) for i, n, s in casts)
        return '<html><head>%s</head><body><div id="cast-list">%s</div></body></html>' % (meta, items)
    rows = "".join('<tr><td><a href="/staff?staff=%s">%s</a></td><td>%s</td></tr>' % (i, n, s) for i, n, s in casts)
    return '<html><head>%s</head><body><table id="staff"><tr><th>名前</th><th>状態</th></tr>%s</table></body></html>' % (meta, rows)


def main():
    root, when = sys.argv[1], datetime.fromisoformat(sys.argv[2])
    for business, site, encoding, start, count, span in BUSINESSES:
        day0 = (when - timedelta(hours=6)).replace(hour=0, minute=0, second=0, microsecond=0)  # the business day
        casts = []
        for index in range(count):
            status = cast_status(business, index, start, span, when, day0)
            casts.append((1000 * (BUSINESSES.index((business, site, encoding, start, count, span)) + 1) + index,
                          NAMES[index % len(NAMES)], label(site, status)))
        os.makedirs(os.path.join(root, business), exist_ok=True)
        pages = [casts] if len(casts) <= 10 else [casts[:10], casts[10:]]
        for number, chunk in enumerate(pages, start=1):
            next_href = "list%d.html" % (number + 1) if number < len(pages) else None
            name = "list.html" if number == 1 else "list%d.html" % number
            with open(os.path.join(root, business, name), "wb") as f:
                f.write(page(site, chunk, encoding, next_href).encode(encoding))


if __name__ == "__main__":
    main()
