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
    "list mine deep page, heavy member": (None, "mine deep page, heavy member"),
    "list all deep page": ("sql: all deep page", "all deep page"),
    "search mine, heavy member, q=科技": (None, "search mine, heavy member"),
    "search all, q=科技": ("store: search all q=科技", "search all, common word"),
    "card GET /contacts/{id}": ("sql: card", None),
    "create POST /contacts": (None, "write: create, edit, delete"),
    "approve POST /applications/{id}/approve": (None, None),
}


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
