package render

import (
	"crypto/sha1"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/labelbridge/labelbridge/engine/model"
)

// SchemeData is the answer of `scheme ID` for the exports that write a document of the data
// (-o oscal): one scheme, or the ETSI catalogue, with the model it belongs to.
type SchemeData struct {
	Model    *model.Model
	Scheme   *model.Scheme
	Revision string
}

// SchemesData is the answer of `schemes` for the exports that write the whole data (-o oscal,
// -o ciso-assistant).
type SchemesData struct {
	Model    *model.Model
	Revision string
}

// generatedAt is the time an export says it was written: SOURCE_DATE_EPOCH (seconds since
// 1970, the reproducible-builds convention) when set, so that tests and builds get the same
// bytes, else now; in UTC, to the second.
func generatedAt() (time.Time, error) {
	if s, ok := os.LookupEnv("SOURCE_DATE_EPOCH"); ok {
		n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil || n < 0 {
			return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH %q: want whole seconds since 1970-01-01", s)
		}
		return time.Unix(n, 0).UTC(), nil
	}
	return time.Now().UTC().Truncate(time.Second), nil
}

// nsURL is RFC 4122's name space for URLs.
var nsURL = [16]byte{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}

// uuidNS is the name space of every UUID the exports derive: the version-5 UUID of labelbridge's
// OSCAL name space URL.
var uuidNS = uuid5(nsURL, oscalNS)

// uuid5 is the RFC 4122 version-5 (SHA-1, name-based) UUID of name in space: the same name
// gives the same UUID, so the exports are deterministic.
func uuid5(space [16]byte, name string) [16]byte {
	h := sha1.New()
	h.Write(space[:])
	h.Write([]byte(name))
	var u [16]byte
	copy(u[:], h.Sum(nil))
	u[6] = u[6]&0x0f | 0x50 // version 5
	u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
	return u
}

func uuidString(u [16]byte) string {
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}

// stableUUID names a thing of an export by a key that says what it is.
func stableUUID(key string) string { return uuidString(uuid5(uuidNS, key)) }

// oneLine folds whitespace (newlines included) to single spaces and trims: OSCAL strings and
// titles are one line without leading or trailing space.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// schemeItem is one requirement of a scheme as the exports list it: a requirement of the
// scheme's own, or an ETSI EN 303 645 provision one of its levels lists directly.
type schemeItem struct {
	ID          string             // the requirement id, or the provision's catalogue id
	Title       string             // the requirement's or the provision's title
	Requirement *model.Requirement // the scheme's own requirement, or nil
	Provision   *model.Provision   // the listed provision, or nil
	Levels      []string           // the levels that list it, lowest first
	Undisclosed bool               // a level lists it as not public
}

// Fact is what the item's confirmation rests on: the requirement's own, or, for a listed
// provision, the fact of the first level listing it (the level's list is what is sourced).
func (it *schemeItem) Fact(s *model.Scheme) model.Fact {
	if it.Requirement != nil {
		return it.Requirement.Fact
	}
	if len(it.Levels) > 0 {
		if i := s.LevelIndex(it.Levels[0]); i >= 0 {
			return s.Levels[i].Fact
		}
	}
	return model.Fact{}
}

// schemeItems lists a scheme's requirements in the order its levels add them, then those of its
// own that no level lists, each once.
func schemeItems(m *model.Model, s *model.Scheme) []*schemeItem {
	own := map[string]*model.Requirement{}
	for i := range s.Requirements {
		own[s.Requirements[i].ID] = &s.Requirements[i]
	}
	var items []*schemeItem
	byID := map[string]*schemeItem{}
	add := func(id string) *schemeItem {
		if it, ok := byID[id]; ok {
			return it
		}
		it := &schemeItem{ID: id}
		if r, ok := own[id]; ok {
			it.Requirement, it.Title = r, r.Title
		} else if canon, ok := m.CanonicalProvision(id); ok {
			it.ID = canon
			if it2, ok := byID[canon]; ok {
				byID[id] = it2
				return it2
			}
			if p, ok := m.Provision(canon); ok {
				it.Provision, it.Title = p, p.Title
			}
		}
		items = append(items, it)
		byID[id], byID[it.ID] = it, it
		return it
	}
	for _, lv := range s.Levels {
		for _, rid := range lv.Requirements {
			it := add(rid)
			it.Levels = append(it.Levels, lv.ID)
			for _, u := range lv.Undisclosed {
				if u == rid {
					it.Undisclosed = true
				}
			}
		}
	}
	for _, r := range s.Requirements {
		add(r.ID)
	}
	return items
}
