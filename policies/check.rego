# Does a claim hold: does the product stand as held or deemed for a market's scheme on a date?
package labelbridge.check

import data.labelbridge.unlock

scheme := data.model.schemes[input.scheme]

entry := unlock.entry(scheme)

# METADATA
# title: Claim check
# description: >-
#   Holds when the outcome is held or deemed. A recognised or simplified route is not yet a label
#   (application-required). With strict, a claim that rests on an assumption fails too.
result := {
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
	"labels": [unlock.label_view(label) | some label in input.labels],
}

# METADATA
# title: Claim verdict
# description: Only whether the claim holds and why, for sweeps that need no more.
verdict := {"holds": holds, "reasons": reasons}

reasons := array.concat(unlock.reasons(scheme, input.as_of), strict_reasons)

assumptions := unlock.assumptions(scheme)

strict := object.get(input, "strict", false)

stands if unlock.core_now[scheme.id].outcome in {"held", "deemed"}

rests_on_assumption if {
	strict
	count(assumptions) > 0
}

default holds := false

holds if {
	stands
	not rests_on_assumption
}

strict_reasons := [{"code": "rests-on-assumption", "message": msg}] if {
	stands
	rests_on_assumption
	msg := sprintf("--strict: the claim rests on %d assumption(s); give the facts instead", [count(assumptions)])
} else := []
