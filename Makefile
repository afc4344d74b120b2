# The two commands a newcomer needs: `make demo` and `make test`. Both install what is missing.
.PHONY: setup build demo test bench fuzz

setup:
	bash scripts/setup.sh

build: setup
	bash scripts/build.sh

# The main job: build the package, then run the demo app (http://localhost:3000) against the
# local backend that runs the real Convex Auth server code.
demo: build
	bash scripts/www.sh demo

test: setup
	bash scripts/test.sh

# Reruns the benchmark tables in the README: the edge verifier vs jose and node:crypto, and the
# Next.js middleware vs the official one under load (same run each).
bench: build
	node benches/verify.mjs
	node benches/route-body.mjs
	bash scripts/www.sh prepare && node benches/nextjs.mjs
	node benches/nextjs-v2.mjs
	node benches/page-load.mjs
	node benches/page-load-v2.mjs

# Fuzzes token and JWKS parsing and verification (60 s per target; scripts/fuzz.sh SECONDS).
fuzz: setup
	bash scripts/fuzz.sh
