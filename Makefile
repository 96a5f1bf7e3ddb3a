# labelbridge — make help lists the targets.
GO      ?= go
BIN     ?= bin/labelbridge
PKGS    := ./...

.PHONY: help build run test bench fuzz lint fmt clean

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  %-8s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

build: ## build bin/labelbridge
	$(GO) build -trimpath -o $(BIN) ./cmd/labelbridge

# run uses the binary build makes (go run would link without -trimpath, a different build: make
# build after make run rebuilt from scratch).
run: build ## the main job on the embedded data: which markets a JC-STAR STAR-1 label opens
	./$(BIN) unlock --label jc-star:STAR-1

test: ## every test: Go, Rego (_test.rego through OPA's tester), scenarios, CEL profiles, CLI golden files
	@command -v chromium >/dev/null 2>&1 || echo "make test: chromium is not installed: the browser test of the web page (server/browser_test.go) is skipped"
	$(GO) test -count=1 -timeout 20m $(PKGS)

bench: ## benchmarks of the engine's hot paths, with allocations
	$(GO) test -run '^$$' -bench . -benchmem ./engine/ ./cmd/labelbridge/

# The fuzz targets, as package:Target. make test runs their seed corpora (testdata/fuzz/ and
# f.Add); make fuzz explores from them, one target after another on one worker.
FUZZTIME    ?= 60s
FUZZTARGETS := ./engine/productdoc:FuzzParse ./engine/productdoc:FuzzParseLabelFlag ./engine/productdoc:FuzzFastDecode \
	./engine/model:FuzzLoadOneFile ./batch:FuzzOneRecordPerLine ./batch:FuzzSplitCSVLine \
	./engine:FuzzCompileExpr ./engine:FuzzEvalExpr ./engine:FuzzMemo ./render:FuzzIndentJSON

fuzz: ## run each fuzz target for FUZZTIME (default 60s); a finding is saved under the package's testdata/fuzz
	@set -e; for t in $(FUZZTARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; echo "== $$name ($$pkg)"; \
		$(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 10s -parallel 1 $$pkg; \
	done

lint: ## go vet, and gofmt must list nothing
	$(GO) vet $(PKGS)
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

fmt: ## gofmt the Go files
	gofmt -w $$(git ls-files '*.go')

clean: ## remove build output
	rm -rf bin
