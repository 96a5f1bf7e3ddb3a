package render

import (
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/labelbridge/labelbridge/engine/model"
)

// The exports for other tools (xlsx, sarif, junit) write more than the answer: the sources of
// the facts it rests on, the document and product it is about, and when they were generated.

// About is what an export knows beyond the answer: the data the answer was decided from (the
// sources of its facts), the command, and the request document and product it is about.
type About struct {
	Model   *model.Model
	Command string // the command run: unlock, check, gap, accept
	File    string // the request document; "" for --label flags
	Product string // the product's id, else its model; "" when the request names none
}

// aboutWriter is a renderer that writes what About says besides the answer.
type aboutWriter interface {
	withAbout(About) Renderer
}

// SetAbout gives the chosen renderer what the answer is about, if it writes it (the exports);
// the other renderers ignore it.
func (p *Plan) SetAbout(a About) {
	if r, ok := p.renderer.(aboutWriter); ok {
		p.renderer = r.withAbout(a)
	}
}

// SourceDateEpoch names the environment variable that fixes the generation time the exports
// write (seconds since 1970-01-01 UTC, as reproducible builds use it): the same input then gives
// the same bytes.
const SourceDateEpoch = "SOURCE_DATE_EPOCH"

// GeneratedAt is the time an export says it was generated: SOURCE_DATE_EPOCH when set, else now
// (UTC, to the second).
func GeneratedAt() (time.Time, error) {
	s, ok := os.LookupEnv(SourceDateEpoch)
	if !ok || s == "" {
		return time.Now().UTC().Truncate(time.Second), nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return time.Time{}, fmt.Errorf("%s=%q: want whole seconds since 1970-01-01 UTC", SourceDateEpoch, s)
	}
	return time.Unix(n, 0).UTC(), nil
}
