# The compact decision a catalogue sweep needs: per (market, scheme) the outcome and level only.
package labelbridge.batch

import data.labelbridge.unlock

# METADATA
# title: Compact unlock answer
# description: The same outcome and level as unlock, without reasons, routes or later changes.
result := {"markets": [{
	"market": key[0],
	"scheme": key[1],
	"outcome": unlock.core_now[key[1]].outcome,
	"level": unlock.core_now[key[1]].level,
} |
	some key in unlock.market_keys
]}
