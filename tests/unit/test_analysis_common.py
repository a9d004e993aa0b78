from __future__ import annotations

import pandas as pd

from xaibook.analysis.common import canonical


def test_canonical_keeps_best_rank_per_claim_and_unclaimed_rows():
    frame = pd.DataFrame(
        {
            "record_id": ["a", "b", "c", "d"],
            "claim_id": ["x", "x", None, "y"],
            "claim_rank": [2, 1, None, 3],
            "value": [100.0, 10.0, 5.0, 7.0],
        }
    )
    result = canonical(frame)
    assert result["record_id"].tolist() == ["b", "c", "d"]  # rank 3 is best once 1, 2 are gone


def test_canonical_falls_back_when_the_preferred_row_is_not_yet_published():
    frame = pd.DataFrame(
        {"record_id": ["late"], "claim_id": ["x"], "claim_rank": [2], "value": [1.0]}
    )
    assert canonical(frame)["record_id"].tolist() == ["late"]
