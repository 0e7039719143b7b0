"""The national-size bench's verdicts: the invoice run's linearity is judged only between a
region and a national run of the same code."""

from bench.scale.report import linearity


def _report(region_commit, national_commit, region_ms=1.0, national_ms=5.0):
    def run(size, commit, ms):
        measures = [{"name": "invoice_run", "ratio": 2.0, "per_employer_ms": ms}]
        return {"database": "postgresql", "size": size, "commit": commit, "measures": measures}

    return {"runs": [run("region", region_commit, region_ms),
                     run("national", national_commit, national_ms)]}  # fmt: skip


def test_runs_of_two_versions_of_the_code_are_not_judged_linear_or_not():
    missed, not_judged = linearity(_report("0f749703badf", None))
    assert missed == [] and "non noté" in not_judged[0]
    missed, not_judged = linearity(_report("0f749703badf", "81816fad8ac8"))
    assert missed == [] and not_judged
    missed, not_judged = linearity(_report("0f749703badf+modifié", "0f749703badf+modifié"))
    assert missed == [] and not_judged


def test_runs_of_the_same_code_are_judged():
    missed, not_judged = linearity(_report("0f749703badf", "0f749703badf"))
    assert not_judged == [] and "facturation non linéaire" in missed[0]
    assert linearity(_report("0f749703badf", "0f749703badf", 1.0, 1.8)) == ([], [])
