# Ledgerline. `make run` starts the main job on the embedded store; `make test` installs, starts and checks everything.
SHELL := /bin/bash
.DEFAULT_GOAL := help
ROOT := $(CURDIR)
NODE_BIN := $(shell $(ROOT)/infra/scripts/ensure-node.sh)
ifeq ($(NODE_BIN),)
$(error could not find or install Node >= 22.18; see the message above)
endif
export PATH := $(NODE_BIN):$(ROOT)/.tools/bin:$(PATH)
export NODE_OPTIONS := --disable-warning=ExperimentalWarning

.PHONY: help run test deps services services-stop services-status typecheck lint test-unit test-int test-e2e bench clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 18

node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

deps: node_modules/.package-lock.json ## Install dependencies with npm ci (only when the lock file changed)

run: deps ## The demo: simulator, engine, API and wallboard on the embedded PGlite store under .data/ (Ctrl-C stops it)
	./ledgerline demo

test: deps ## Install and start services, type-check, lint, and run every test; ends with "N passed, N failed"
	infra/services/services.sh start --install
	-infra/scripts/ensure-chromium.sh
	infra/scripts/run-checks.sh

test-unit: deps ## Only the pure unit tests
	npx vitest run --project unit

test-int: deps ## Only the integration tests (services must be running)
	npx vitest run --project int

test-e2e: deps ## Only the end-to-end runs under infra/e2e (services must be running; about 10 minutes)
	npx vitest run --project e2e

typecheck: deps ## tsc --noEmit
	npx tsc --noEmit -p tsconfig.json

lint: deps ## eslint
	npx eslint --max-warnings 0 .

services: ## Start PostgreSQL, NATS and ClickHouse on loopback (data under .data/services/)
	infra/services/services.sh start

services-stop: ## Stop the local services
	infra/services/services.sh stop

services-status: ## Show the local services
	infra/services/services.sh status

bench: deps ## Run the benchmarks; results go to bench/results/*.json
	infra/services/services.sh start --install
	bench/run-all.sh

clean: ## Stop services and remove .data/
	-infra/services/services.sh stop
	rm -rf .data
