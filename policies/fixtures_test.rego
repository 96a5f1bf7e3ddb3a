# A small model for the policy tests: three schemes and three arrangements, shaped as the engine
# stores the real data (objects keyed by id; sets as {id: true}).
package labelbridge.fixtures

level(id, rank, assessment, requirements) := {
	"id": id, "rank": rank, "assessment": assessment, "validity": "P2Y", "validity_parts": {"years": 2, "months": 0, "days": 0}, "requirements": requirements,
	"undisclosed": {}, "all_undisclosed": false, "caveats": [],
}

scheme(id, market, regime) := {
	"id": id, "name": id, "market": market, "union": "", "regime": regime, "regime_by_category": {},
	"statuses": [{"date": "2020-01-01", "status": "operating"}], "milestones": [],
	"applies_from": "2020-01-01", "applies_until": null, "applies_until_next": null, "applies_by": "supplied",
	"levels": {}, "level_ids": [], "lowest": "", "requirements": {},
	"scope": {"categories": {}, "excludes": {}}, "caveats": [],
}

# "jp": a voluntary label scheme with two levels; J1 requires ETSI 5.1-1 and its own R-2.
jp := object.union(scheme("jp", "JP", "voluntary"), {
	"levels": {
		"J1": level("J1", 0, "self-declaration", ["5.1-1", "R-2"]),
		"J2": level("J2", 1, "third-party", ["5.1-1", "R-2", "5.2-1"]),
	},
	"level_ids": ["J1", "J2"], "lowest": "J1",
	"requirements": {"R-2": {"id": "R-2", "title": "Vulnerability contact", "maps_to": [{"provisions": ["5.2-1"], "relationship": "equal"}], "unconfirmed": false}},
})

# "gb": a mandatory regime, applies from 2020-01-01, one level with three own requirements.
gb := object.union(scheme("gb", "GB", "mandatory"), {
	"levels": {"base": level("base", 0, "self-declaration", ["P-1", "P-2", "P-3"])},
	"level_ids": ["base"], "lowest": "base",
	"requirements": {
		"P-1": {"id": "P-1", "title": "Passwords", "maps_to": [{"provisions": ["5.1-1", "5.1-2"], "relationship": "subset-of"}], "unconfirmed": false},
		"P-2": {"id": "P-2", "title": "Reporting", "maps_to": [{"provisions": ["5.2-1"], "relationship": "subset-of"}], "unconfirmed": false},
		"P-3": {"id": "P-3", "title": "Support period", "maps_to": [{"provisions": ["5.3-13"], "relationship": "superset-of"}], "unconfirmed": false},
	},
})

# "sg": voluntary, four levels; L3 adds an own requirement with no ETSI mapping and an undisclosed one.
sg := object.union(scheme("sg", "SG", "voluntary"), {
	"levels": {
		"L1": level("L1", 0, "self-declaration", ["5.1-1"]),
		"L2": level("L2", 1, "self-declaration", ["5.1-1", "5.1-2"]),
		"L3": object.union(level("L3", 2, "third-party", ["5.1-1", "5.1-2", "X-SBD", "X-HID"]), {"undisclosed": {"X-HID": true}}),
	},
	"level_ids": ["L1", "L2", "L3"], "lowest": "L1",
	"requirements": {
		"X-SBD": {"id": "X-SBD", "title": "Security by design", "maps_to": [], "unconfirmed": false},
		"X-HID": {"id": "X-HID", "title": "Not public", "maps_to": [], "unconfirmed": false},
	},
	"regime_by_category": {"router": [{"regime": "mandatory", "level": "L1", "from": "2024-01-01", "caveats": []}]},
})

# "kr": all requirements undisclosed; "fi": closed since 2025-01-01.
kr := object.union(scheme("kr", "KR", "voluntary"), {
	"levels": {"K1": object.union(level("K1", 0, "third-party", []), {"all_undisclosed": true})},
	"level_ids": ["K1"], "lowest": "K1",
})

fi := object.union(scheme("fi", "FI", "voluntary"), {
	"statuses": [{"date": "2020-01-01", "status": "operating"}, {"date": "2025-01-01", "status": "closed"}],
	"levels": {"F1": level("F1", 0, "third-party", [])}, "level_ids": ["F1"], "lowest": "F1",
})

arrangement(id, kind, outcome, accepts, scheme_id, level_id, from) := {
	"id": id, "kind": kind, "outcome": outcome, "title": id, "instrument": concat(" ", ["Instrument", id]),
	"accepts": accepts, "grants": {"scheme": scheme_id, "level": level_id},
	"scope": {"categories": {}, "excludes": {}}, "credits": [],
	"effective_from": from, "effective_until": null, "until_next": null,
	"conditions": {"label-current": true, "label-for-product": true}, "caveats": [],
}

# gb deems jp J1 only (criteria J-DOC-1), from 2025-12-04.
gb_deems := object.union(
	arrangement("gb-deems-jp", "deemed-compliance", "deemed", {"jp": {"levels": {"J1": true}, "documents": ["J-DOC-1"], "level_list": ["J1"], "min_level": ""}}, "gb", "base", "2025-12-04"),
	{"conditions": {"label-current": true, "label-for-product": true, "criteria-version": true}},
)

# sg recognises kr K1 as L3, from 2025-01-01, excluding smart-door-lock.
sg_recognises := object.union(
	arrangement("sg-from-kr", "mutual-recognition", "recognized", {"kr": {"levels": {"K1": true}, "documents": [], "level_list": [], "min_level": "K1"}}, "sg", "L3", "2025-01-01"),
	{"scope": {"categories": {}, "excludes": {"smart-door-lock": true}}},
)

# gb deems sg at any level (so kr → sg → gb is a two-step route); jp gets a simplified application from sg L1+ crediting R-2.
gb_deems_sg := arrangement("gb-deems-sg", "deemed-compliance", "deemed", {"sg": {"levels": {"L1": true, "L2": true, "L3": true}, "documents": [], "level_list": [], "min_level": "L1"}}, "gb", "base", "2025-12-04")

jp_simplified := object.union(
	arrangement("jp-from-sg", "simplified-application", "simplified", {"sg": {"levels": {"L1": true, "L2": true, "L3": true}, "documents": [], "level_list": [], "min_level": "L1"}}, "jp", "J1", "2026-06-01"),
	{"credits": ["R-2"]},
)

# fi recognises sg L3 (but fi is closed).
fi_recognises := arrangement("fi-from-sg", "mutual-recognition", "recognized", {"sg": {"levels": {"L3": true}, "documents": [], "level_list": ["L3"], "min_level": ""}}, "fi", "F1", "2021-10-07")

model := {
	"schemes": {"jp": jp, "gb": gb, "sg": sg, "kr": kr, "fi": fi},
	"arrangements": {
		"gb-deems-jp": gb_deems, "gb-deems-sg": gb_deems_sg, "sg-from-kr": sg_recognises,
		"jp-from-sg": jp_simplified, "fi-from-sg": fi_recognises,
	},
	"into": {"gb": ["gb-deems-jp", "gb-deems-sg"], "sg": ["sg-from-kr"], "jp": ["jp-from-sg"], "fi": ["fi-from-sg"]},
	"accepted_into": {"gb": {"jp": true, "sg": true}, "sg": {"kr": true}, "jp": {"sg": true}, "fi": {"sg": true}},
	"categories": {
		"router": {"id": "router", "levels": {}, "excluded_from": {}, "caveats": []},
		"smart-door-lock": {"id": "smart-door-lock", "levels": {}, "excluded_from": {}, "caveats": []},
		"laptop": {"id": "laptop", "levels": {}, "excluded_from": {"gb": true}, "caveats": []},
	},
	"provisions": {
		"5.1-1": {"id": "5.1-1", "title": "Unique passwords", "split_of": null, "void_v3": false},
		"5.1-2": {"id": "5.1-2", "title": "Password generation", "split_of": null, "void_v3": false},
		"5.2-1": {"id": "5.2-1", "title": "Disclosure policy", "split_of": null, "void_v3": false},
		"5.3-13": {"id": "5.3-13", "title": "Support period", "split_of": null, "void_v3": false},
		"5.13-1": {"id": "5.13-1", "title": "Validate input", "split_of": null, "void_v3": true},
		"5.13-1A": {"id": "5.13-1A", "title": "Validate UI input", "split_of": "5.13-1", "void_v3": false},
	},
	"markets": {"FI": ["fi"], "GB": ["gb"], "JP": ["jp"], "KR": ["kr"], "SG": ["sg"]},
}

# A label as a product document writes it: scheme and level, active; its place in the request
# (i) is its position in the labels list.
label(_, scheme_id, level_id) := {"scheme": scheme_id, "level": level_id, "status": "active"}

product := {"model": "CAM-1"}

input_with(labels, as_of) := {"as_of": as_of, "product": product, "labels": labels, "options": {"later": true, "gaps": true}}
