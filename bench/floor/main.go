// Command floor is the I/O floor of a batch run: it only decodes each JSONL line and encodes it
// again, with the same buffered I/O as labelbridge batch.
//
//	go run ./bench/floor < products.jsonl > /dev/null
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
)

func main() {
	in := bufio.NewReaderSize(os.Stdin, 64<<10)
	out := bufio.NewWriterSize(os.Stdout, 256<<10)
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), 1<<20+2)
	for sc.Scan() {
		var v any
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			fmt.Fprintf(out, "{\"error\":%q}\n", err.Error())
			continue
		}
		b, _ := json.Marshal(v)
		out.Write(b)
		out.WriteByte('\n')
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
	out.Flush()
}
