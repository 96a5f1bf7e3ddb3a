# Does a claim hold: does the product stand as held or deemed for a market's scheme on a date?
package labelbridge.check

import data.labelbridge.common
import data.labelbridge.unlock

# METADATA
# title: The claim asked about
# description: >-
#   The request's market, scheme and strict fields; where the request names no market, the
#   document's claim. A market with one scheme needs no scheme; a market with several (the EU) does.
claim := c if {
	c := input.claim
	c != null
	object.get(input, "market", null) == null
} else := {}

market := _asked("market")

named_scheme := _asked("scheme")

strict if input.strict == true

strict if claim.strict == true

default strict := false

# A request field, else the claim's field of that name.
_asked(name) := v if {
	v := input[name]
	v != null
} else := object.get(claim, name, null)

market_schemes := object.get(data.model.markets, market, [])

scheme_id := named_scheme if {
	named_scheme != null
	named_scheme in market_schemes
} else := market_schemes[0] if {
	named_scheme == null
	count(market_schemes) == 1
}

# METADATA
# title: Why a claim cannot be decided
# description: No market; a market the data does not know; a market with several schemes and none named; a scheme not of that market.
request_error := common.as_of_error if {
	common.as_of_error
} else := _claim_error if not scheme_id

# Why the market and scheme asked for name no scheme (scheme_id is undefined exactly then).
_claim_error := common.msg("market-required", {"field": "market", "markets": sort(object.keys(data.model.markets))}) if {
	market == null
} else := common.msg("unknown-market", {"field": "market", "market": market, "markets": sort(object.keys(data.model.markets))}) if {
	count(market_schemes) == 0
} else := common.msg("scheme-required", {"field": "scheme", "market": market, "schemes": market_schemes}) if {
	named_scheme == null
	count(market_schemes) > 1
} else := common.msg("scheme-not-of-market", {"field": "scheme", "market": market, "scheme": named_scheme, "schemes": market_schemes}) if {
	named_scheme != null
	not named_scheme in market_schemes
}

scheme := data.model.schemes[scheme_id]

entry := unlock.entry(scheme)

# METADATA
# title: Claim check
# description: >-
#   Holds when the outcome is held or deemed. A recognised or simplified route is not yet a label
#   (application-required). With strict, a claim that rests on an assumption fails too.
result := {"error": request_error} if {
	request_error
} else := {
	"holds": holds,
	"market": entry.market,
	"scheme": entry.scheme,
	"outcome": entry.outcome,
	"level": entry.level,
	"access": entry.access,
	"strict": strict,
	"basis": entry.basis,
	"route": entry.route,
	"reasons": reasons,
	"assumptions": entry.assumptions,
	"caveats": entry.caveats,
	"labels": unlock.label_views,
}

# METADATA
# title: Claim verdict
# description: Only whether the claim holds and why, for sweeps that need no more.
verdict := {"error": request_error} if {
	request_error
} else := {"holds": holds, "reasons": reasons}

reasons := array.concat(unlock.reasons_now[scheme.id], strict_reasons)

assumptions := unlock.assumptions(scheme)

# A held or deemed level below the level the regime mandates does not stand.
stands if {
	unlock.core_now[scheme.id].outcome in {"held", "deemed"}
	unlock.core_now[scheme.id].shortfall == null
}

rests_on_assumption if {
	strict
	count(assumptions) > 0
}

default holds := false

holds if {
	stands
	not rests_on_assumption
}

strict_reasons := [common.msg("rests-on-assumption", {"assumptions": count(assumptions)})] if {
	stands
	rests_on_assumption
} else := []
