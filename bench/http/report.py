#!/usr/bin/env python3
"""Markdown tables of one `make bench` run (bench/run.sh calls it).

usage: report.py HTTP_TSV [STORE_TSV]

HTTP_TSV (bench/http_bench.sh): label, case, connections (1, 4 or
"in-process" for the SQL floor), req/s, p50, p90, p99, max (ms), requests,
socket errors, non-2xx, load average (1 min) after the run.
STORE_TSV (ec_bench_contacts): label, case, runs, p50, p99, mean, max, rows, detail.
"""
import sys
from collections import OrderedDict

# HTTP case -> (SQL floor case of ec_bench_sql_floor, case of ec_bench_contacts)
FLOORS = {
    "list mine first page, heavy member": ("sql: mine first page, heavy member", "mine first page, heavy member"),
    "list all first page": ("sql: all first page", "all first page"),
    "groups mine, heavy member": ("sql: groups mine, heavy member", "groups mine, heavy member"),
    "groups all": ("sql: groups all", "groups all"),
    "list mine deep page, heavy member": (None, "mine deep page, heavy member"),
    "list all deep page": ("sql: all deep page", "all deep page"),
    "search mine, heavy member, q=科技": (None, "search mine, heavy member"),
    "search all, q=科技": ("store: search all q=科技", "search all, common word"),
    "list all first page, limit=1": ("sql: all first page, limit=1", None),
    "list all first page, limit=100": ("sql: all first page, limit=100", None),
    "card GET /contacts/{id}": ("sql: card", None),
    "create POST /contacts": ("sql: create (durable floor)", "write: create, edit, delete"),
    "join POST /invite/{token}": ("sql: join (durable floor)", None),
    "edit PATCH /contacts/{id}": ("sql: edit (durable floor)", None),
    "approve POST /applications/{id}/approve": ("sql: approve (durable floor)", None),
}
# Write cases: against the durable-commit floor alone (issue 16: "<= 2 x a
# durable-commit floor"), not HTTP floor + SQL floor.
DURABLE = "(durable floor)"


def num(s, digits=2):
    try:
        v = float(s)
    except (TypeError, ValueError):
        return "–"
    if v >= 1000:
        return f"{v:,.0f}"
    if v >= 100:
        return f"{v:.0f}"
    if v >= 10:
        return f"{v:.1f}"
    return f"{v:.{digits}f}"


def f(row, col):
    try:
        return float(row[col])
    except (TypeError, ValueError, IndexError):
        return None


def goals(label, by, cases):
    """Issue 16's goals for one data set: each read case against HTTP floor +
    SQL floor (p50 <= 2x, p99 <= 3x), the cost per listed contact, the
    session check against /healthz, throughput at 4 connections against the
    raw SQL's own."""
    http1 = by.get((label, "floor: constant response (bench server)", "1"))
    hf50, hf99 = (f(http1, 4), f(http1, 6)) if http1 else (None, None)
    print(f"\n##### {label}: against the floors (HTTP floor p50 {num(hf50, 3)} ms, p99 {num(hf99, 3)} ms)\n")
    print("Writes (create, join, edit, approve) are against their durable-commit floor alone; reads against HTTP + SQL.\n")
    print("| case | p50 ms | floor p50 (HTTP + SQL) | ratio (goal <= 2) | p99 ms | floor p99 | ratio (goal <= 3) "
          "| 4 conns req/s | SQL's own req/s on 2 cores | share (goal >= 50 %) | cores busy before (1 / 4 conns) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for case in cases:
        sql_case = FLOORS.get(case, (None, None))[0]
        c1 = by.get((label, case, "1"))
        c4 = by.get((label, case, "4"))
        sql = by.get((label, sql_case, "in-process")) if sql_case else None
        if not c1 or not sql or hf50 is None:
            continue
        durable = DURABLE in sql_case
        floor50 = f(sql, 4) + (0 if durable else hf50)
        floor99 = f(sql, 6) + (0 if durable else hf99)
        own = 2 * 1000 / f(sql, 4) if f(sql, 4) else None
        share = f"{100 * f(c4, 3) / own:.0f} %" if c4 and own else "–"
        print(f"| {case} | {num(f(c1, 4), 3)} | {num(floor50, 3)} | **{f(c1, 4) / floor50:.2f}** | {num(f(c1, 6), 3)} "
              f"| {num(floor99, 3)} | **{f(c1, 6) / floor99:.2f}** | {num(f(c4, 3)) if c4 else '–'} | {num(own)} | {share} "
              f"| {c1[13] if len(c1) > 13 else '–'} / {c4[13] if c4 and len(c4) > 13 else '–'} |")
    one = by.get((label, "list all first page, limit=1", "1"))
    hundred = by.get((label, "list all first page, limit=100", "1"))
    s1 = by.get((label, "sql: all first page, limit=1", "in-process"))
    s100 = by.get((label, "sql: all first page, limit=100", "in-process"))
    if one and hundred and s1 and s100:
        total = (f(hundred, 4) - f(one, 4)) / 99 * 1000
        sql_row = (f(s100, 4) - f(s1, 4)) / 99 * 1000
        print(f"\nPer listed contact (limit=100 − limit=1, ÷ 99, p50): {total:.1f} µs, of which SQL {sql_row:.1f} µs: "
              f"**{total - sql_row:.1f} µs above the SQL** (goal <= 3 µs).")
    session = by.get((label, "host: GET /api/session (session check)", "1"))
    health = by.get((label, "host: GET /healthz (DB ping)", "1"))
    if session and health:
        print(f"\nSession check (GET /api/session) p50 {num(f(session, 4), 3)} ms against /healthz "
              f"{num(f(health, 4), 3)} ms: **{f(session, 4) / f(health, 4):.2f} ×** (goal <= 2).")


def main():
    http = [line.rstrip("\n").split("\t") for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
    store = []
    if len(sys.argv) > 2:
        try:
            store = [line.rstrip("\n").split("\t") for line in open(sys.argv[2], encoding="utf-8") if line.strip()]
        except FileNotFoundError:
            pass
    labels = list(OrderedDict.fromkeys(r[0] for r in http))
    by = {}
    for r in http:
        by[(r[0], r[1], r[2])] = r
    st = {(r[0], r[1]): r for r in store}
    cases = list(OrderedDict.fromkeys(r[1] for r in http if r[2] != "in-process"))

    for label in labels:
        print(f"\n#### {label}\n")
        print("| case | 1 conn: p50 / p99 ms | 1 conn: req/s | 4 conns: p50 / p99 ms | 4 conns: req/s "
              "| SQL floor p50 / p99 ms | service floor p50 / p99 ms | non-2xx / errors | load after |")
        print("|---|---|---|---|---|---|---|---|---|")
        for case in cases:
            c1 = by.get((label, case, "1"))
            c4 = by.get((label, case, "4"))
            if not c1 and not c4:
                continue
            sql_case, store_case = FLOORS.get(case, (None, None))
            sql = by.get((label, sql_case, "in-process")) if sql_case else None
            svc = st.get((label, store_case)) if store_case else None
            bad = sum(int(r[10] or 0) for r in (c1, c4) if r)
            err = sum(int(r[9] or 0) for r in (c1, c4) if r)
            # Statuses of the non-2xx answers (writes; column 13, newer runs only).
            codes = [r[12] for r in (c1, c4) if r and len(r) > 12 and r[12] not in ("", "-")]
            if codes:
                bad = f"{bad} ({'; '.join(codes)})"
            print("| {} | {} / {} | {} | {} / {} | {} | {} | {} | {} / {} | {} |".format(
                case,
                num(c1[4]) if c1 else "–", num(c1[6]) if c1 else "–", num(c1[3]) if c1 else "–",
                num(c4[4]) if c4 else "–", num(c4[6]) if c4 else "–", num(c4[3]) if c4 else "–",
                f"{num(sql[4])} / {num(sql[6])}" if sql else "–",
                f"{num(svc[3])} / {num(svc[4])}" if svc else "–",
                bad, err, (c4 or c1)[11]))

        goals(label, by, cases)

    # 10k against 1M, one connection p50 and four connections' throughput.
    pairs = []
    for db in ("sqlite", "mariadb"):
        small = next((l for l in labels if l.startswith(db) and l.endswith(" 10000")), None)
        large = next((l for l in labels if l.startswith(db) and l.endswith(" 1000000")), None)
        if small and large:
            pairs.append((db, small, large))
    if pairs:
        print("\n#### 10,000 against 1,000,000 contacts (1 conn p50 ms; 4 conns req/s)\n")
        head = "| case | " + " | ".join(f"{db} 10k | {db} 1M" for db, _, _ in pairs) + " |"
        print(head)
        print("|---|" + "---|---|" * len(pairs))
        for case in cases:
            cells = []
            for _, small, large in pairs:
                for l in (small, large):
                    c1 = by.get((l, case, "1"))
                    c4 = by.get((l, case, "4"))
                    cells.append(f"{num(c1[4]) if c1 else '–'} ms; {num(c4[3]) if c4 else '–'}/s")
            print(f"| {case} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
