// Package model holds labelbridge's typed data model: schemes, the ETSI catalogue, product
// categories and recognition arrangements, loaded from YAML with positions and validated.
//
// A Model is built once by Load and never mutated afterwards, so it is safe for concurrent reads.
package model

import (
	"errors"
	"fmt"

	"gopkg.in/yaml.v3"
)

// Source names a document a fact comes from.
type Source struct {
	Title   string `yaml:"title" json:"title"`
	URL     string `yaml:"url,omitempty" json:"url,omitempty"`
	Section string `yaml:"section,omitempty" json:"section,omitempty"`
}

// MarketAlias is another name of a scheme's market, with the sources that say so.
type MarketAlias struct {
	Alias string `yaml:"alias" json:"alias"`
	Fact  `yaml:",inline"`
}

// Fact is embedded in every object that can be marked unconfirmed.
type Fact struct {
	Confirmed *bool    `yaml:"confirmed,omitempty" json:"confirmed,omitempty"`
	Note      string   `yaml:"note,omitempty" json:"note,omitempty"`
	Sources   []Source `yaml:"sources,omitempty" json:"sources,omitempty"`
}

// Unconfirmed reports whether the fact is explicitly marked confirmed: false.
func (f Fact) Unconfirmed() bool { return f.Confirmed != nil && !*f.Confirmed }

// Scheme is one jurisdiction's label or regime.
type Scheme struct {
	ID        string `yaml:"id" json:"id"`
	Kind      string `yaml:"kind,omitempty" json:"kind,omitempty"`
	Name      string `yaml:"name" json:"name"`
	Authority string `yaml:"authority,omitempty" json:"authority,omitempty"`
	Market    string `yaml:"market,omitempty" json:"market,omitempty"`
	Union     string `yaml:"union,omitempty" json:"union,omitempty"`
	// MarketAliases are other names people give the market (not ids any answer uses): an
	// unknown market id that is one of them is told the market's code.
	MarketAliases    []MarketAlias           `yaml:"market_aliases,omitempty" json:"market_aliases,omitempty"`
	Regime           string                  `yaml:"regime,omitempty" json:"regime,omitempty"`
	RegimeByCategory map[string][]RegimeStep `yaml:"regime_by_category,omitempty" json:"regime_by_category,omitempty"`
	Dates            []Milestone             `yaml:"dates,omitempty" json:"dates,omitempty"`
	AppliesFrom      string                  `yaml:"applies_from,omitempty" json:"applies_from,omitempty"`
	AppliesUntil     string                  `yaml:"applies_until,omitempty" json:"applies_until,omitempty"`
	AppliesBy        string                  `yaml:"applies_by,omitempty" json:"applies_by,omitempty"`
	// SubstantialModification: a unit placed on the market before the regime applies falls under
	// it when substantially modified afterwards (CRA Art. 69(2)); the product's
	// substantially_modified date is tested too.
	SubstantialModification bool                      `yaml:"substantial_modification,omitempty" json:"substantial_modification,omitempty"`
	Documents               []Document                `yaml:"documents,omitempty" json:"documents,omitempty"`
	Levels                  []Level                   `yaml:"levels,omitempty" json:"levels,omitempty"`
	Requirements            []Requirement             `yaml:"requirements,omitempty" json:"requirements,omitempty"`
	Scope                   *Scope                    `yaml:"scope,omitempty" json:"scope,omitempty"`
	Versions                []Version                 `yaml:"versions,omitempty" json:"versions,omitempty"`
	Conditions              map[string][]ConditionDef `yaml:"conditions,omitempty" json:"conditions,omitempty"`
	Provisions              []Provision               `yaml:"provisions,omitempty" json:"provisions,omitempty"`
	Fact                    `yaml:",inline"`

	File string `yaml:"-" json:"-"`
}

// IsCatalogue reports whether the document is the ETSI provision catalogue rather than a scheme.
func (s *Scheme) IsCatalogue() bool { return s.Kind == "catalogue" }

// RegimeStep is a dated, category-specific change of regime.
type RegimeStep struct {
	Regime string `yaml:"regime" json:"regime"`
	Level  string `yaml:"level,omitempty" json:"level,omitempty"`
	From   string `yaml:"from,omitempty" json:"from,omitempty"`
	Fact   `yaml:",inline"`
}

// Milestone is a dated event in a scheme's life; Status, when set, is the scheme's status from that day.
type Milestone struct {
	Event  string `yaml:"event" json:"event"`
	Date   string `yaml:"date" json:"date"`
	Status string `yaml:"status,omitempty" json:"status,omitempty"`
	Fact   `yaml:",inline"`
}

// Document is a scheme document (criteria version) that arrangements can name.
type Document struct {
	ID    string `yaml:"id" json:"id"`
	Title string `yaml:"title,omitempty" json:"title,omitempty"`
	Date  string `yaml:"date,omitempty" json:"date,omitempty"`
	Fact  `yaml:",inline"`
}

// Level is one rung of a scheme; levels are cumulative for requirements.
type Level struct {
	ID           string   `yaml:"id" json:"id"`
	Name         string   `yaml:"name,omitempty" json:"name,omitempty"`
	Assessment   string   `yaml:"assessment,omitempty" json:"assessment,omitempty"`
	Validity     string   `yaml:"validity,omitempty" json:"validity,omitempty"`
	Requirements []string `yaml:"requirements" json:"requirements"`
	Undisclosed  []string `yaml:"undisclosed,omitempty" json:"undisclosed,omitempty"`
	Fact         `yaml:",inline"`
}

// AllUndisclosed reports whether the whole content of the level is not public.
func (l *Level) AllUndisclosed() bool {
	for _, u := range l.Undisclosed {
		if u == "all" {
			return true
		}
	}
	return false
}

// Requirement is a scheme's own requirement, mapped to ETSI provisions.
type Requirement struct {
	ID     string    `yaml:"id" json:"id"`
	Title  string    `yaml:"title" json:"title"`
	MapsTo []Mapping `yaml:"maps_to,omitempty" json:"maps_to,omitempty"`
	Fact   `yaml:",inline"`
}

// Mapping states "requirement R <relationship> this set of provisions" (NIST IR 8477).
type Mapping struct {
	Provisions   []string `yaml:"provisions" json:"provisions"`
	Relationship string   `yaml:"relationship" json:"relationship"`
	Fact         `yaml:",inline"`
}

// Scope lists the categories an arrangement or scheme covers (empty: all) and those it excludes.
type Scope struct {
	Categories []string `yaml:"categories" json:"categories"`
	Excludes   []string `yaml:"excludes" json:"excludes"`
	Fact       `yaml:",inline"`
}

// Version is a version of the ETSI catalogue.
type Version struct {
	ID   string `yaml:"id" json:"id"`
	Date string `yaml:"date,omitempty" json:"date,omitempty"`
	Role string `yaml:"role,omitempty" json:"role,omitempty"`
	Fact `yaml:",inline"`
}

// ConditionDef is one numbered condition (or lettered feature) of an ETSI version.
type ConditionDef struct {
	ID   string `yaml:"id" json:"id"`
	Text string `yaml:"text" json:"text"`
	Fact `yaml:",inline"`
}

// Provision is one ETSI EN 303 645 provision, with its V2.1.1 and V3.1.3 status.
type Provision struct {
	ID    string      `yaml:"id" json:"id"`
	Title string      `yaml:"title" json:"title"`
	V2    *ProvStatus `yaml:"v2,omitempty" json:"v2,omitempty"`
	V3    *ProvStatus `yaml:"v3,omitempty" json:"v3,omitempty"`
	Fact  `yaml:",inline"`
}

// ProvStatus is a provision's status in one version.
type ProvStatus struct {
	ID         string   `yaml:"id,omitempty" json:"id,omitempty"`
	Status     string   `yaml:"status,omitempty" json:"status,omitempty"`
	Conditions []string `yaml:"conditions,omitempty" json:"conditions,omitempty"`
	SplitOf    string   `yaml:"split_of,omitempty" json:"split_of,omitempty"`
	Void       bool     `yaml:"void,omitempty" json:"void,omitempty"`
	Fact       `yaml:",inline"`
}

// CategoryFile is schemes/categories.yaml.
type CategoryFile struct {
	Categories []Category `yaml:"categories" json:"categories"`
	Fact       `yaml:",inline"`
}

// Category is one product category of the shared vocabulary.
//
// In the file, excluded_from lists exclusions, each a scheme id or an object {scheme, from, until,
// confirmed, note, sources}. Exclusions holds every entry as written (file order); Load derives
// ExcludedFrom (the schemes of the entries without from or until: excluded on every date) and
// ExcludedDated (the entries with from or until: excluded only on the days they cover).
type Category struct {
	ID          string            `yaml:"id" json:"id"`
	Description string            `yaml:"description" json:"description"`
	Synonyms    []string          `yaml:"synonyms,omitempty" json:"synonyms,omitempty"`
	Levels      map[string]string `yaml:"levels,omitempty" json:"levels,omitempty"`
	Exclusions  []Exclusion       `yaml:"excluded_from,omitempty" json:"excluded_from,omitempty"`
	Fact        `yaml:",inline"`

	// ExcludedFrom lists the schemes whose scope leaves the category out on every date (entries
	// of excluded_from without from or until), in file order.
	ExcludedFrom []string `yaml:"-" json:"-"`
	// ExcludedDated lists the exclusions that hold only from and/or until a date, in file order.
	ExcludedDated []Exclusion `yaml:"-" json:"-"`
}

// Exclusion is one entry of a category's excluded_from: the scheme whose scope leaves the
// category out, from From (first day excluded) until Until (last day excluded); an empty date is
// open-ended. Written as a bare scheme id, it has no dates. The dates are compared with the date
// the scheme's applies_by names, like the scheme's own applies_from and applies_until.
type Exclusion struct {
	Scheme string `yaml:"scheme" json:"scheme"`
	From   string `yaml:"from,omitempty" json:"from,omitempty"`
	Until  string `yaml:"until,omitempty" json:"until,omitempty"`
	Fact   `yaml:",inline"`

	// decodeErrs holds the decoding errors of this entry ("line N: message"); validate reports
	// them. Keeping a bad entry (instead of failing it) keeps the positions of the entries after it.
	decodeErrs []string
}

// Dated reports whether the exclusion holds only from or until a date.
func (e Exclusion) Dated() bool { return e.From != "" || e.Until != "" }

// UnmarshalYAML reads an exclusion written as a scheme id or as a mapping.
func (e *Exclusion) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode: // a null entry never gets here: it stays empty and validate reports it
		*e = Exclusion{Scheme: n.Value}
	case yaml.MappingNode:
		type plain Exclusion // without this method
		var p plain
		err := n.Decode(&p)
		*e = Exclusion(p)
		var te *yaml.TypeError
		if errors.As(err, &te) {
			e.decodeErrs = te.Errors
		} else if err != nil {
			return err
		}
	default:
		*e = Exclusion{decodeErrs: []string{fmt.Sprintf("line %d: excluded_from entry must be a scheme id or a mapping {scheme, from, until}", n.Line)}}
	}
	return nil
}

// Arrangement is one direction of a legal link between schemes.
type Arrangement struct {
	ID             string     `yaml:"id" json:"id"`
	Kind           string     `yaml:"kind" json:"kind"`
	Title          string     `yaml:"title" json:"title"`
	Accepts        []Accepted `yaml:"accepts" json:"accepts"`
	Grants         Grant      `yaml:"grants" json:"grants"`
	Scope          Scope      `yaml:"scope" json:"scope"`
	Credits        []string   `yaml:"credits" json:"credits"`
	EffectiveFrom  string     `yaml:"effective_from" json:"effective_from"`
	EffectiveUntil string     `yaml:"effective_until" json:"effective_until"`
	Conditions     []string   `yaml:"conditions" json:"conditions"`
	Instrument     string     `yaml:"instrument" json:"instrument"`
	Fact           `yaml:",inline"`

	File string `yaml:"-" json:"-"`
}

// Accepted names the held labels an arrangement accepts: exactly Levels, or MinLevel and above.
type Accepted struct {
	Scheme    string   `yaml:"scheme" json:"scheme"`
	Levels    []string `yaml:"levels,omitempty" json:"levels,omitempty"`
	MinLevel  string   `yaml:"min_level,omitempty" json:"min_level,omitempty"`
	Documents []string `yaml:"documents,omitempty" json:"documents,omitempty"`
	Fact      `yaml:",inline"`
}

// Grant is the scheme level an arrangement grants (or opens an application for).
type Grant struct {
	Scheme string `yaml:"scheme" json:"scheme"`
	Level  string `yaml:"level" json:"level"`
}

// Profile is a CEL acceptance profile.
type Profile struct {
	Name        string        `yaml:"name" json:"name"`
	Description string        `yaml:"description" json:"description"`
	Source      Source        `yaml:"source" json:"source"`
	Expression  string        `yaml:"expression" json:"expression"`
	Reasons     []string      `yaml:"reasons,omitempty" json:"reasons,omitempty"`
	Tests       []ProfileTest `yaml:"tests,omitempty" json:"tests,omitempty"`
	Fact        `yaml:",inline"`

	File string `yaml:"-" json:"-"`
	// ExprLine is the line of the expression's first character in File, for CEL error positions.
	ExprLine int `yaml:"-" json:"-"`
	// ExprColumn is the column of the expression's first character on ExprLine.
	ExprColumn int `yaml:"-" json:"-"`
}

// ProfileTest is one case beside a profile.
type ProfileTest struct {
	Name     string   `yaml:"name" json:"name"`
	Labels   []string `yaml:"labels" json:"labels"`
	Category string   `yaml:"category,omitempty" json:"category,omitempty"`
	AsOf     string   `yaml:"as_of" json:"as_of"`
	Holds    bool     `yaml:"holds" json:"holds"`
}
