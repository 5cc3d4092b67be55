"""`python -m bench <name>`: each benchmark prints ratios against baselines measured in the
same run and writes its table as JSON (bench/results/)."""

from __future__ import annotations

import argparse
import sys


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    sub = parser.add_subparsers(dest="name", required=True)
    http = sub.add_parser("http", help="server processes: the ledger vs the plain peer")
    http.add_argument("--store", choices=["sqlite", "postgres", "both"], default="both")
    http.add_argument("--seconds", type=float, default=20.0)
    http.add_argument("--clients", type=int, nargs="+", default=[1, 16])
    http.add_argument("--out", default="bench/results/http.json")
    commands = sub.add_parser("commands", help="in process: commands vs the plain library")
    commands.add_argument("--store", choices=["sqlite", "postgres", "both"], default="both")
    commands.add_argument("--count", type=int, default=400)
    commands.add_argument("--out", default="bench/results/commands.json")
    profile = sub.add_parser("profile", help="py-spy on a server process under the http mix")
    profile.add_argument("--store", choices=["sqlite", "postgres"], default="sqlite")
    profile.add_argument("--seconds", type=float, default=8.0)
    profile.add_argument("--top", type=int, default=30)
    replica = sub.add_parser("replica", help="reads on a PostgreSQL streaming replica")
    replica.add_argument("--seconds", type=float, default=15.0)
    replica.add_argument("--clients", type=int, default=8)
    replica.add_argument("--out", default="bench/results/replica.json")
    side = sub.add_parser("jurisdictions", help="ledgers side by side, one schema each")
    side.add_argument("--count", type=int, default=100, help="commands per thread")
    side.add_argument("--out", default="bench/results/jurisdictions.json")
    gen = sub.add_parser("generate", help="a synthetic district through the real commands")
    gen.add_argument("--events", type=int, default=100_000)
    gen.add_argument("--seed", type=int, default=7)
    gen.add_argument("--database-url", required=True)
    scale = sub.add_parser("scale", help="verify and rebuild at 100k and 1M generated events")
    scale.add_argument("--events", type=int, nargs="+", default=[100_000, 1_000_000])
    scale.add_argument("--seed", type=int, default=7)
    scale.add_argument("--out", default="bench/results/scale.json")
    queries = sub.add_parser("queries", help="as-of, history, search latency at 100k and 1M")
    queries.add_argument("--store", choices=["sqlite", "postgres"], default="sqlite")
    queries.add_argument("--events", type=int, nargs="+", default=[100_000, 1_000_000])
    queries.add_argument("--count", type=int, default=2000, help="queries of each kind")
    queries.add_argument("--warm", type=int, default=500, help="untimed queries first")
    queries.add_argument("--seed", type=int, default=7)
    queries.add_argument("--out", default=None, help="default bench/results/queries-<store>.json")
    queries.add_argument("--no-findings", action="store_true", help="neither build nor time them")
    queries.add_argument(
        "--not-resident",
        action="store_true",
        help="SQLite: do not hold the store file in memory while timing (bench/resident.py)",
    )
    child = sub.add_parser("scale-child", help=argparse.SUPPRESS)
    child.add_argument("kind", choices=["verify", "hash", "rebuild", "decode"])
    child.add_argument("url")
    soak = sub.add_parser("soak", help="the http mix for N minutes: RSS and p99 trends")
    soak.add_argument("--store", choices=["sqlite", "postgres"], default="sqlite")
    soak.add_argument("--minutes", type=float, default=5.0)
    soak.add_argument("--clients", type=int, default=4)
    soak.add_argument("--interval", type=float, default=10.0, help="seconds per sample")
    soak.add_argument("--out", default=None, help="default bench/results/soak-<store>.json")
    national = sub.add_parser("national-import", help="a district-year from the national tables")
    national.add_argument("--store", choices=["sqlite", "postgres", "both"], default="sqlite")
    national.add_argument("--projects", type=int, default=550)
    national.add_argument("--repeat", type=int, default=2, help="runs of each side, alternating")
    national.add_argument("--out", default="bench/results/national-import.json")
    sub.add_parser("verify", help="verify vs raw SHA-256 of the records (bench_verify)")
    sub.add_parser("views", help="rebuild vs read + decode (bench_views)")
    args, rest = parser.parse_known_args()
    if args.name == "http":
        from bench.http_bench import main as run
    elif args.name == "commands":
        from bench.commands_bench import main as run
    elif args.name == "profile":
        from bench.profile import main as run
    elif args.name == "generate":
        from bench.scale import generate_command as run
    elif args.name == "scale":
        from bench.scale import main as run
    elif args.name == "queries":
        from bench.query_latency import main as run
    elif args.name == "scale-child":
        from bench.scale import child

        child(args.kind, args.url)
        return
    elif args.name == "jurisdictions":
        from bench.jurisdictions import main as run
    elif args.name == "soak":
        from bench.soak import main as run
    elif args.name == "replica":
        from bench.replica import main as run
    elif args.name == "national-import":
        from bench.national_import import main as run
    else:
        module = __import__(f"bench.bench_{args.name}", fromlist=["main"])
        sys.argv = [f"bench {args.name}", *rest]
        module.main()
        return
    run(args)


if __name__ == "__main__":
    main()
