// Command floor is the I/O floor of a batch run: it only decodes each JSONL line and encodes it
// again, with the same buffered I/O as labelbridge batch and the same JSON decoder batch reads
// product documents with (the precursor of encoding/json/v2), or with encoding/json (-std).
//
//	go run ./bench/floor [-std] < products.jsonl > /dev/null
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"

	jsonv2 "github.com/go-json-experiment/json"
)

func main() {
	std := flag.Bool("std", false, "decode and encode with encoding/json")
	flag.Parse()
	unmarshal, marshal := func(b []byte, v any) error { return jsonv2.Unmarshal(b, v) }, func(v any) ([]byte, error) { return jsonv2.Marshal(v) }
	if *std {
		unmarshal, marshal = json.Unmarshal, json.Marshal
	}
	in := bufio.NewReaderSize(os.Stdin, 64<<10)
	out := bufio.NewWriterSize(os.Stdout, 256<<10)
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), 1<<20+2)
	for sc.Scan() {
		var v any
		if err := unmarshal(sc.Bytes(), &v); err != nil {
			fmt.Fprintf(out, "{\"error\":%q}\n", err.Error())
			continue
		}
		b, _ := marshal(v)
		out.Write(b)
		out.WriteByte('\n')
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
	out.Flush()
}
