"""bench/compare.py: the render cost of two revisions measured at once, summed up per page."""

from bench.compare import parse_args, summarize, table


def run(tree: list[tuple], rev: list[tuple]) -> dict:
    def pages(rows):
        return [
            {
                "name": n,
                "as": who,
                "min_ms": least,
                "median_ms": med,
                "cpu_median_ms": cpu,
                "queries": q,
            }
            for n, who, least, med, cpu, q in rows
        ]

    return {"tree": pages(tree), "rev": pages(rev)}


def test_each_page_gets_both_sides_least_median_and_cpu_change():
    runs = [
        run(
            [("question", "anonymous", 10.0, 12.0, 11.0, 4)],
            [("question", "anonymous", 12.0, 15.0, 14.0, 4)],
        ),
        run(
            [("question", "anonymous", 9.0, 13.0, 10.0, 4)],
            [("question", "anonymous", 13.0, 16.0, 16.0, 4)],
        ),
        run(
            [("question", "anonymous", 11.0, 14.0, 12.0, 4)],
            [("question", "anonymous", 12.5, 14.0, 15.0, 5)],
        ),
    ]
    [row] = summarize(runs)
    assert (row["tree_min"], row["rev_min"]) == (9.0, 12.0)
    assert (row["tree_median"], row["rev_median"]) == (13.0, 15.0)
    assert (row["tree_cpu"], row["rev_cpu"]) == (11.0, 15.0)
    assert row["cpu_change_pct"] == round(100 * (11 / 15 - 1), 1)
    assert (row["tree_queries"], row["rev_queries"]) == (4, 5)
    text = table("abc123", [row])
    assert (
        "| question | anonymous | 15.0 / 12.0 / 15.0 | 11.0 / 9.0 / 13.0 | -26.7% | 5 → 4 |" in text
    )


def test_a_page_only_one_side_has_is_left_out():
    runs = [
        run(
            [("question", "anonymous", 1, 1, 1, 1), ("new page", "member", 1, 1, 1, 1)],
            [("question", "anonymous", 1, 1, 1, 1)],
        )
    ]
    assert [row["page"] for row in summarize(runs)] == ["question"]


def test_arguments():
    args = parse_args(["HEAD~1", "--repeat", "10", "--rounds", "3"])
    assert (args.rev, args.repeat, args.rounds) == ("HEAD~1", 10, 3)
