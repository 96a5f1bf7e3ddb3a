package labelbridge.batch_test

import data.labelbridge.batch
import data.labelbridge.fixtures
import data.labelbridge.unlock

test_compact_agrees_with_unlock if {
	inp := fixtures.input_with([fixtures.label(0, "jp", "J1"), fixtures.label(1, "kr", "K1")], "2026-01-01")
	compact := batch.result with data.model as fixtures.model with input as inp
	full := unlock.result with data.model as fixtures.model with input as inp
	count(compact.markets) == count(full.markets)
	every i, m in compact.markets {
		m == {"market": full.markets[i].market, "scheme": full.markets[i].scheme, "outcome": full.markets[i].outcome, "level": full.markets[i].level}
	}
	compact.markets[1] == {"market": "GB", "scheme": "gb", "outcome": "deemed", "level": "base"}
}
